/* site_table.c — the cold paths of the one site/peak table (site_table.h): growth, a new site,
 * release, and the listing ordered by stack id. */
#include "site_table.h"

#include <string.h>

#include "raw_memory.h"

_Static_assert(sizeof(site_head) == 48, "site_head: 48 bytes, so that a native slot is one cache line");

static size_t table_bytes(size_t slot_bytes, uint32_t capacity) { return (size_t)capacity * slot_bytes; }

/* Doubles the table (or creates it); the mmap happens under the caller's lock, but only
 * log2(sites) times in a scope's life. */
static int grow(site_table *t, size_t slot_bytes) {
    uint32_t old_capacity = t->capacity;
    uint32_t capacity = old_capacity ? old_capacity * 2 : SITE_TABLE_INITIAL;
    if (capacity < old_capacity) return -1;
    unsigned char *fresh = raw_alloc(table_bytes(slot_bytes, capacity));
    if (!fresh) return -1;
    for (uint32_t i = 0; i < old_capacity; i++) {
        const site_head *site = (const site_head *)(t->sites + (size_t)i * slot_bytes);
        if (site->used) memcpy(site_table_probe(fresh, capacity, slot_bytes, site->stack_id), site, slot_bytes);
    }
    if (old_capacity) raw_free(t->sites, table_bytes(slot_bytes, old_capacity));
    t->sites = fresh;
    t->capacity = capacity;
    return 0;
}

static site_head *create(site_table *t, size_t slot_bytes, uint32_t stack_id) {
    /* Past 3/4 full, grow; if that fails, keep filling while one slot stays empty (probing
     * needs it), and only then give up on the site. */
    if ((t->count + 1) * 4 > t->capacity * 3 && grow(t, slot_bytes) < 0 && t->count + 1 >= t->capacity) return NULL;
    site_head *site = site_table_probe(t->sites, t->capacity, slot_bytes, stack_id);
    /* From zeroed memory: payload, level, at-peak figures and stamp all 0 (site_table.h). */
    site->used = 1;
    site->stack_id = stack_id;
    t->count++;
    return site;
}

__attribute__((cold)) site_head *site_table_add(site_table *t, size_t slot_bytes, uint32_t stack_id) {
    site_head *site = create(t, slot_bytes, stack_id);
    if (site || stack_id == 0) return site;
    site = site_table_find(t, slot_bytes, 0);
    return site ? site : create(t, slot_bytes, 0);
}

void site_table_detach(site_table *t, site_table *detached) {
    *detached = *t;
    t->sites = NULL;
    t->capacity = 0;
    t->count = 0;
    t->peak_version = 0;
}

void site_table_free(site_table *t, size_t slot_bytes) {
    if (t->capacity) raw_free(t->sites, table_bytes(slot_bytes, t->capacity));
    t->sites = NULL;
    t->capacity = 0;
    t->count = 0;
    t->peak_version = 0;
}

/* ---- listing ------------------------------------------------------------------------------ */

static inline unsigned char *element(void *out, size_t out_bytes, int i) {
    return (unsigned char *)out + (size_t)i * out_bytes;
}

static inline uint32_t id_at(void *out, size_t out_bytes, int i) {
    uint32_t id;
    memcpy(&id, element(out, out_bytes, i), sizeof id);
    return id;
}

static void swap(void *out, size_t out_bytes, int i, int j) {
    unsigned char tmp[SITE_LIST_MAX_ELEMENT];
    memcpy(tmp, element(out, out_bytes, i), out_bytes);
    memcpy(element(out, out_bytes, i), element(out, out_bytes, j), out_bytes);
    memcpy(element(out, out_bytes, j), tmp, out_bytes);
}

/* out[0..n) as a max-heap on the stack id: restores the heap below position i. */
static void sift_down(void *out, size_t out_bytes, int n, int i) {
    for (;;) {
        int largest = i, l = 2 * i + 1, r = l + 1;
        if (l < n && id_at(out, out_bytes, l) > id_at(out, out_bytes, largest)) largest = l;
        if (r < n && id_at(out, out_bytes, r) > id_at(out, out_bytes, largest)) largest = r;
        if (largest == i) return;
        swap(out, out_bytes, i, largest);
        i = largest;
    }
}

static void sift_up(void *out, size_t out_bytes, int i) {
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (id_at(out, out_bytes, parent) >= id_at(out, out_bytes, i)) return;
        swap(out, out_bytes, i, parent);
        i = parent;
    }
}

int site_table_select(const site_table *t, size_t slot_bytes, void *out, size_t out_bytes, int max, site_fill_fn fill) {
    if (out_bytes < sizeof(uint32_t) || out_bytes > SITE_LIST_MAX_ELEMENT) return -1;
    if (max < 0 || !out) max = 0;
    unsigned char spare[SITE_LIST_MAX_ELEMENT];
    int total = 0, kept = 0;
    for (uint32_t i = 0; i < t->capacity; i++) {
        const site_head *site = (const site_head *)(t->sites + (size_t)i * slot_bytes);
        if (!site->used || !fill(site, t->peak_version, spare)) continue;
        total++;
        if (kept < max) {
            memcpy(element(out, out_bytes, kept), spare, out_bytes);
            sift_up(out, out_bytes, kept++);
        } else if (max > 0 && site->stack_id < id_at(out, out_bytes, 0)) {
            memcpy(out, spare, out_bytes);
            sift_down(out, out_bytes, kept, 0);
        }
    }
    return total;
}

void site_list_sort(void *out, size_t out_bytes, int n) {
    for (int end = n - 1; end > 0; end--) {
        swap(out, out_bytes, 0, end);
        sift_down(out, out_bytes, end, 0);
    }
}
