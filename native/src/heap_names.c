/*
 * heap_names.c — class, field and method names for leak paths (heap_names.h).
 *
 * Field indices follow the JVMTI specification of jvmtiHeapReferenceInfoField: for a class C,
 * the fields of java.lang.Object, then of each subclass down to C, each class's fields in
 * GetClassFields order, numbered from n = the number of fields declared by all interfaces C
 * implements (directly, through superclasses, and superinterfaces). For an interface I: I's own
 * fields, numbered from the count of fields of all its superinterfaces.
 */
#include "heap_names.h"

#include <stdio.h>
#include <string.h>

void heap_names_from_signature(const char *sig, char *out, size_t len) {
    int dims = 0;
    while (*sig == '[') {
        dims++;
        sig++;
    }
    const char *base;
    char buf[512];
    switch (*sig) {
    case 'Z': base = "boolean"; break;
    case 'B': base = "byte"; break;
    case 'C': base = "char"; break;
    case 'S': base = "short"; break;
    case 'I': base = "int"; break;
    case 'J': base = "long"; break;
    case 'F': base = "float"; break;
    case 'D': base = "double"; break;
    case 'L': {
        size_t j = 0;
        /* A hidden class (a lambda) has a '.' before its suffix in the signature
         * ("Lcom/a/B$$Lambda$47.0x0123;"); Class.getName() and stack traces show it as '/', so
         * the two characters swap. */
        for (const char *p = sig + 1; *p && *p != ';' && j + 1 < sizeof buf; p++)
            buf[j++] = *p == '/' ? '.' : *p == '.' ? '/' : *p;
        buf[j] = 0;
        base = buf;
        break;
    }
    default: base = sig; break;
    }
    size_t n = (size_t)snprintf(out, len, "%s", base);
    for (int i = 0; i < dims && n + 2 < len; i++, n += 2) memcpy(out + n, "[]", 3);
}

void heap_names_class(jvmtiEnv *jvmti, jclass klass, char *out, size_t len) {
    char *sig = NULL;
    if (klass && (*jvmti)->GetClassSignature(jvmti, klass, &sig, NULL) == JVMTI_ERROR_NONE && sig) {
        heap_names_from_signature(sig, out, len);
        (*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
    } else {
        snprintf(out, len, "?");
    }
}

#define MAX_INTERFACES 256
#define MAX_CHAIN 128

typedef struct {
    jclass items[MAX_INTERFACES];
    int n;
} class_set;

static void set_add_interface(jvmtiEnv *jvmti, JNIEnv *jni, class_set *set, jclass k) {
    for (int i = 0; i < set->n; i++)
        if ((*jni)->IsSameObject(jni, set->items[i], k)) {
            (*jni)->DeleteLocalRef(jni, k);
            return;
        }
    if (set->n >= MAX_INTERFACES) {
        (*jni)->DeleteLocalRef(jni, k);
        return;
    }
    set->items[set->n++] = k;
    jint count = 0;
    jclass *supers = NULL;
    if ((*jvmti)->GetImplementedInterfaces(jvmti, k, &count, &supers) == JVMTI_ERROR_NONE) {
        for (jint i = 0; i < count; i++) set_add_interface(jvmti, jni, set, supers[i]);
        (*jvmti)->Deallocate(jvmti, (unsigned char *)supers);
    }
}

static void add_interfaces_of(jvmtiEnv *jvmti, JNIEnv *jni, class_set *set, jclass k) {
    jint count = 0;
    jclass *direct = NULL;
    if ((*jvmti)->GetImplementedInterfaces(jvmti, k, &count, &direct) != JVMTI_ERROR_NONE) return;
    for (jint i = 0; i < count; i++) set_add_interface(jvmti, jni, set, direct[i]);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)direct);
}

static jint field_count(jvmtiEnv *jvmti, jclass k) {
    jint n = 0;
    jfieldID *fields = NULL;
    if ((*jvmti)->GetClassFields(jvmti, k, &n, &fields) != JVMTI_ERROR_NONE) return 0;
    (*jvmti)->Deallocate(jvmti, (unsigned char *)fields);
    return n;
}

/* The numbering of `klass`: chain[0..*chain_n) from java.lang.Object (or the interface itself)
 * down to klass, and the first index. Local refs in chain[] (but klass) and the set are the
 * caller's to delete. */
static jint numbering(jvmtiEnv *jvmti, JNIEnv *jni, jclass klass, jclass *chain, int *chain_n, class_set *set) {
    jboolean is_interface = JNI_FALSE;
    (*jvmti)->IsInterface(jvmti, klass, &is_interface);
    set->n = 0;
    int n = 0;
    if (is_interface) {
        add_interfaces_of(jvmti, jni, set, klass);
        chain[n++] = klass;
    } else {
        jclass up[MAX_CHAIN];
        int m = 0;
        for (jclass c = klass; c && m < MAX_CHAIN;) {
            up[m++] = c;
            add_interfaces_of(jvmti, jni, set, c);
            c = (*jni)->GetSuperclass(jni, c);
        }
        for (int i = m - 1; i >= 0; i--) chain[n++] = up[i];
    }
    *chain_n = n;
    jint first = 0;
    for (int i = 0; i < set->n; i++) first += field_count(jvmti, set->items[i]);
    return first;
}

static void release(JNIEnv *jni, jclass klass, jclass *chain, int chain_n, class_set *set) {
    for (int i = 0; i < chain_n; i++)
        if (chain[i] != klass) (*jni)->DeleteLocalRef(jni, chain[i]);
    for (int i = 0; i < set->n; i++) (*jni)->DeleteLocalRef(jni, set->items[i]);
    set->n = 0;
}

int heap_names_field(jvmtiEnv *jvmti, JNIEnv *jni, jclass klass, jint index, char *out, size_t len) {
    jclass chain[MAX_CHAIN];
    int chain_n = 0;
    class_set set;
    jint pos = index - numbering(jvmti, jni, klass, chain, &chain_n, &set);
    int found = -1;
    for (int i = 0; i < chain_n && pos >= 0 && found < 0; i++) {
        jint n = 0;
        jfieldID *fields = NULL;
        if ((*jvmti)->GetClassFields(jvmti, chain[i], &n, &fields) != JVMTI_ERROR_NONE) continue;
        if (pos < n) {
            char *name = NULL;
            if ((*jvmti)->GetFieldName(jvmti, chain[i], fields[pos], &name, NULL, NULL) == JVMTI_ERROR_NONE) {
                snprintf(out, len, "%s", name);
                (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
                found = 0;
            }
            pos = -1;
        } else {
            pos -= n;
        }
        (*jvmti)->Deallocate(jvmti, (unsigned char *)fields);
    }
    release(jni, klass, chain, chain_n, &set);
    return found;
}

jint heap_names_field_index(jvmtiEnv *jvmti, JNIEnv *jni, jclass klass, jclass declaring, const char *field) {
    jclass chain[MAX_CHAIN];
    int chain_n = 0;
    class_set set;
    jint index = numbering(jvmti, jni, klass, chain, &chain_n, &set), result = -1;
    for (int i = 0; i < chain_n && result < 0; i++) {
        jint n = 0;
        jfieldID *fields = NULL;
        if ((*jvmti)->GetClassFields(jvmti, chain[i], &n, &fields) != JVMTI_ERROR_NONE) continue;
        int is_declaring = (*jni)->IsSameObject(jni, chain[i], declaring);
        for (jint f = 0; f < n && result < 0; f++) {
            if (is_declaring) {
                char *name = NULL;
                if ((*jvmti)->GetFieldName(jvmti, chain[i], fields[f], &name, NULL, NULL) == JVMTI_ERROR_NONE) {
                    if (strcmp(name, field) == 0) result = index + f;
                    (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
                }
            }
        }
        index += n;
        (*jvmti)->Deallocate(jvmti, (unsigned char *)fields);
    }
    release(jni, klass, chain, chain_n, &set);
    return result;
}

void heap_names_method(jvmtiEnv *jvmti, JNIEnv *jni, jmethodID method, char *out, size_t len, char *cls,
                       size_t cls_len) {
    char *name = NULL;
    jclass klass = NULL;
    char owner[400] = "?";
    if (method && (*jvmti)->GetMethodDeclaringClass(jvmti, method, &klass) == JVMTI_ERROR_NONE)
        heap_names_class(jvmti, klass, owner, sizeof owner);
    if (!method || (*jvmti)->GetMethodName(jvmti, method, &name, NULL, NULL) != JVMTI_ERROR_NONE) name = NULL;
    snprintf(out, len, "%s.%s", owner, name ? name : "?");
    if (cls) snprintf(cls, cls_len, "%s", owner);
    if (name) (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
    if (klass) (*jni)->DeleteLocalRef(jni, klass);
}
