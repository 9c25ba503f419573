/*
 * report.c — memtrack_scope_report: a scope's totals and sites with symbolized merged stacks,
 * as tab-separated text (docs/native-report-format.md). Runs on a Java thread at scope end,
 * with the recursion guard held, so its own mallocs are never recorded.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "report_text.h"
#include "stack_capture.h"
#include "stack_table.h"
#include "symbolizer.h"
#include "tracker.h"

/* JNA extracts libjnidispatch.so to a temp file named jna<digits>.tmp: show what it is. */
static const char *display_library(const char *name) {
    if (strncmp(name, "jna", 3) != 0) return name;
    const char *p = name + 3;
    while (*p >= '0' && *p <= '9') p++;
    return (p > name + 3 && strcmp(p, ".tmp") == 0) ? "libjnidispatch.so" : name;
}

static void append_frame(report_text *t, const stack_frame *f) {
    char symbol[600], library[300], file[300];
    if (f->kind == FRAME_HOOK) {
        native_symbol s;
        memset(&s, 0, sizeof s);
        void *orig = hook_original((int)f->pc);
        if (orig) symbolizer_lookup((uint64_t)(uintptr_t)orig, &s);
        snprintf(symbol, sizeof symbol, "%s", hook_name((int)f->pc));
        snprintf(library, sizeof library, "%s", s.library);
        report_text_append(t, "frame\tA\t%s\t%s\t\t0\n", report_text_clean(symbol), report_text_clean(library));
        return;
    }
    if (f->kind == FRAME_JAVA) {
        report_text_java_frame(t, f);
        return;
    }
    native_symbol s;
    memset(&s, 0, sizeof s);
    /* A return address points after the call instruction, possibly into the next line or
     * function: look up the byte before it. */
    uint64_t pc = f->pc;
    int found = symbolizer_lookup(pc - 1, &s);
    if (!found || !s.function[0])
        snprintf(symbol, sizeof symbol, "0x%llx", (unsigned long long)(found ? s.offset : pc));
    else
        snprintf(symbol, sizeof symbol, "%s", s.function);
    snprintf(library, sizeof library, "%s", display_library(s.library));
    snprintf(file, sizeof file, "%s", s.file);
    report_text_append(t, "frame\tN\t%s\t%s\t%s\t%d\n", report_text_clean(symbol), report_text_clean(library), report_text_clean(file), s.line);
}

char *report_build(uint32_t scope_id) { return report_build_annotated(scope_id, NULL, NULL); }

struct report_figures {
    scope_totals tot;
    site_figures *sites;
    int count;
};

char *report_build_annotated(uint32_t scope_id, report_annotate annotate, void *arg) {
    return report_figures_format(report_figures_take(scope_id), annotate, arg);
}

report_figures *report_figures_take(uint32_t scope_id) {
    scope_slot *slot = tracker_scope(scope_id);
    if (!slot) return NULL;
    report_figures *f = malloc(sizeof *f);
    if (!f) return NULL;
    if (scope_stats_totals(&slot->stats, scope_id, &f->tot) != 0) {
        free(f);
        return NULL;
    }
    int max = 1024, count;
    site_figures *sites = NULL;
    for (;;) {
        sites = malloc(sizeof(site_figures) * (size_t)max);
        if (!sites) {
            free(f);
            return NULL;
        }
        count = scope_stats_sites(&slot->stats, scope_id, sites, max);
        if (count < 0) {
            free(sites);
            free(f);
            return NULL;
        }
        if (count <= max) break;
        free(sites);
        max = count + 1024;
    }
    f->sites = sites;
    f->count = count;
    return f;
}

void report_figures_drop_unjudged(report_figures *f, int (*judged)(uint32_t stack_id, void *arg), void *arg) {
    if (!f) return;
    for (int i = 0; i < f->count; i++) {
        site_figures *s = &f->sites[i];
        if (!s->live_count || judged(s->stack_id, arg)) continue;
        f->tot.live_bytes -= s->live_bytes < f->tot.live_bytes ? s->live_bytes : f->tot.live_bytes;
        f->tot.live_count -= s->live_count < f->tot.live_count ? s->live_count : f->tot.live_count;
        s->live_bytes = 0;
        s->live_count = 0;
    }
}

char *report_figures_format(report_figures *f, report_annotate annotate, void *arg) {
    if (!f) return NULL;
    const scope_totals tot = f->tot;
    site_figures *sites = f->sites;
    int count = f->count;
    free(f);
    report_text t = {0};
    report_text_header(&t, REPORT_TEXT_REPORT);
    report_text_append(&t, "totals\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\n",
           (unsigned long long)tot.allocated_bytes, (unsigned long long)tot.allocated_count,
           (unsigned long long)tot.freed_bytes, (unsigned long long)tot.freed_count,
           (unsigned long long)tot.live_bytes, (unsigned long long)tot.live_count,
           (unsigned long long)tot.peak_bytes);
    for (int i = 0; i < count; i++) {
        const site_figures *s = &sites[i];
        const stack_frame *frames = NULL;
        int n = 0;
        uint32_t origin = ORIGIN_JNI;
        if (stack_table_get(s->stack_id, &frames, &n, &origin) != 0) n = 0;
        report_text_append(&t, "site\t%s\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\n", origin_code(origin),
               (unsigned long long)s->allocated_bytes, (unsigned long long)s->allocated_count,
               (unsigned long long)s->live_bytes, (unsigned long long)s->live_count,
               (unsigned long long)s->peak_bytes, (unsigned long long)s->peak_count);
        for (int j = 0; j < n; j++) append_frame(&t, &frames[j]);
        if (annotate && s->live_count) annotate(&t, s->stack_id, arg);
    }
    report_text_append(&t, "end\n");
    free(sites);
    return report_text_finish(&t);
}
