/*
 * report.c — memtrack_scope_report: a scope's totals and sites with symbolized merged stacks,
 * as tab-separated text (docs/native-report-format.md). Runs on a Java thread at scope end,
 * with the recursion guard held, so its own mallocs are never recorded.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "jvm_bridge.h"
#include "stack_capture.h"
#include "stack_table.h"
#include "symbolizer.h"
#include "tracker.h"

typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} text;

static void append(text *t, const char *fmt, ...) {
    if (t->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = t->cap - t->len;
        int n = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) { t->failed = 1; return; }
        if (t->data && (size_t)n < room) { t->len += (size_t)n; return; }
        size_t cap = t->cap ? t->cap * 2 : 8192;
        while (cap < t->len + (size_t)n + 1) cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) { t->failed = 1; return; }
        t->data = grown;
        t->cap = cap;
    }
}

/* Fields are tab-separated: no tabs or newlines inside. */
static const char *clean(char *s) {
    for (char *p = s; *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r') *p = ' ';
    return s;
}

/* JNA extracts libjnidispatch.so to a temp file named jna<digits>.tmp: show what it is. */
static const char *display_library(const char *name) {
    if (strncmp(name, "jna", 3) != 0) return name;
    const char *p = name + 3;
    while (*p >= '0' && *p <= '9') p++;
    return (p > name + 3 && strcmp(p, ".tmp") == 0) ? "libjnidispatch.so" : name;
}

static void append_frame(text *t, const stack_frame *f) {
    char symbol[600], library[300], file[300];
    int line = 0;
    if (f->kind == FRAME_HOOK) {
        native_symbol s;
        memset(&s, 0, sizeof s);
        void *orig = hook_original((int)f->pc);
        if (orig) symbolizer_lookup((uint64_t)(uintptr_t)orig, &s);
        snprintf(symbol, sizeof symbol, "%s", hook_name((int)f->pc));
        snprintf(library, sizeof library, "%s", s.library);
        append(t, "frame\tA\t%s\t%s\t\t0\n", clean(symbol), clean(library));
        return;
    }
    if (f->kind == FRAME_JAVA) {
        jvm_describe_frame(f, symbol, sizeof symbol, file, sizeof file, &line);
        append(t, "frame\tJ\t%s\t\t%s\t%d\n", clean(symbol), clean(file), line);
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
    append(t, "frame\tN\t%s\t%s\t%s\t%d\n", clean(symbol), clean(library), clean(file), s.line);
}

char *report_build(uint32_t scope_id) {
    scope_slot *slot = tracker_scope(scope_id);
    if (!slot) return NULL;
    scope_totals tot;
    if (scope_stats_totals(&slot->stats, scope_id, &tot) != 0) return NULL;
    int max = 1024, count;
    site_figures *sites = NULL;
    for (;;) {
        sites = malloc(sizeof(site_figures) * (size_t)max);
        if (!sites) return NULL;
        count = scope_stats_sites(&slot->stats, scope_id, sites, max);
        if (count < 0) { free(sites); return NULL; }
        if (count <= max) break;
        free(sites);
        max = count + 1024;
    }
    text t = {0};
    append(&t, "memtrack-report\t1\n");
    append(&t, "totals\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\n",
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
        append(&t, "site\t%s\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\n", origin_code(origin),
               (unsigned long long)s->allocated_bytes, (unsigned long long)s->allocated_count,
               (unsigned long long)s->live_bytes, (unsigned long long)s->live_count,
               (unsigned long long)s->peak_bytes, (unsigned long long)s->peak_count);
        for (int j = 0; j < n; j++) append_frame(&t, &frames[j]);
    }
    append(&t, "end\n");
    free(sites);
    if (t.failed) {
        free(t.data);
        return NULL;
    }
    return t.data;
}
