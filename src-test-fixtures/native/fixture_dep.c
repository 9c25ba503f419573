/*
 * fixture_dep.c — libmtfixture_dep.so: the library that libmtfixture.so dlopen()s itself
 * (mtf_dep_load), so that the tests cover a library loaded by native code, not by the JVM.
 * Each loaded copy has its own table of what it leaked. Markers "@site:<name>" as in fixture.c.
 */
#define _GNU_SOURCE
#include "fixture.h"

#include <pthread.h>
#include <stdlib.h>

#define DEP_MAX_LIVE 1024

static void *dep_live[DEP_MAX_LIVE];
static size_t dep_live_size[DEP_MAX_LIVE];
static int dep_live_used;
static pthread_mutex_t dep_live_lock = PTHREAD_MUTEX_INITIALIZER;

void *mtf_dep_leak_inner(size_t size) {
    void *p = malloc(size); /* @site:mtf_dep_leak_inner */
    MTF_KEEP_FRAME();
    if (p == NULL) {
        return NULL;
    }
    *(volatile char *)p = 1;
    pthread_mutex_lock(&dep_live_lock);
    int full = dep_live_used == DEP_MAX_LIVE;
    if (!full) {
        dep_live[dep_live_used] = p;
        dep_live_size[dep_live_used++] = size;
    }
    pthread_mutex_unlock(&dep_live_lock);
    if (full) {
        free(p);
        return NULL;
    }
    return p;
}

void *mtf_dep_leak(size_t size) {
    void *p = mtf_dep_leak_inner(size); /* @site:mtf_dep_leak */
    MTF_KEEP_FRAME();
    return p;
}

long mtf_dep_release(void) {
    pthread_mutex_lock(&dep_live_lock);
    long n = dep_live_used;
    for (int i = 0; i < dep_live_used; i++) {
        free(dep_live[i]);
    }
    dep_live_used = 0;
    pthread_mutex_unlock(&dep_live_lock);
    return n;
}

long mtf_dep_live_bytes(void) {
    pthread_mutex_lock(&dep_live_lock);
    long bytes = 0;
    for (int i = 0; i < dep_live_used; i++) {
        bytes += (long)dep_live_size[i];
    }
    pthread_mutex_unlock(&dep_live_lock);
    return bytes;
}
