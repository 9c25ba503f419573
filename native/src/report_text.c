/*
 * report_text.c — the report text builder (report_text.h).
 */
#include "report_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "jvm_bridge.h"

void report_text_append(report_text *t, const char *fmt, ...) {
    if (t->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = t->cap - t->len;
        int n = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return;
        }
        if (t->data && (size_t)n < room) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 8192;
        while (cap < t->len + (size_t)n + 1) cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) {
            t->failed = 1;
            return;
        }
        t->data = grown;
        t->cap = cap;
    }
}

void report_text_header(report_text *t, const char *kind) { report_text_append(t, "%s\t%d\n", kind, REPORT_TEXT_VERSION); }

const char *report_text_clean(char *s) {
    for (char *p = s; *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r') *p = ' ';
    return s;
}

void report_text_java_frame(report_text *t, const stack_frame *f) {
    char symbol[600], file[300];
    int line = 0;
    jvm_describe_frame(f, symbol, sizeof symbol, file, sizeof file, &line);
    report_text_append(t, "frame\tJ\t%s\t\t%s\t%d\n", report_text_clean(symbol), report_text_clean(file), line);
}

void report_text_java_stack(report_text *t, uint32_t stack_id) {
    const stack_frame *frames = NULL;
    int n = 0;
    if (stack_table_get(stack_id, &frames, &n, NULL) != 0) return;
    for (int i = 0; i < n; i++)
        if (frames[i].kind == FRAME_JAVA) report_text_java_frame(t, &frames[i]);
}

char *report_text_finish(report_text *t) {
    if (t->failed) {
        free(t->data);
        t->data = NULL;
        return NULL;
    }
    return t->data;
}
