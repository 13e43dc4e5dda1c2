// Typed, non-variadic wrappers around libcurl's variadic setopt/getinfo, which Swift cannot call, and the rest of
// the libcurl calls driftloop makes.
//
// libcurl is opened with dlopen on first use rather than linked: loading it and its dependency tree (TLS, SSH,
// Kerberos, LDAP, IDN, ...) at every process start costs a `driftloop drift` run that never fetches anything about
// 8 ms: measured (release, whole process, 60 interleaved pairs, 2026-12-07) on the bundled churn files with libcurl
// preloaded as a linked one would be, 24 ms against 16 ms (x1.47). BENCHMARKS.md, "Start-up tricks". Until it is open, or if it cannot be opened, every call fails as libcurl itself would
// (CURLE_FAILED_INIT, a NULL handle).
#ifndef DRIFTLOOP_CCURL_SHIM_H
#define DRIFTLOOP_CCURL_SHIM_H

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

typedef size_t (*ccurl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*ccurl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static const long ccurl_auth_basic = (long)CURLAUTH_BASIC;

struct ccurl_library {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
    void (*slist_free_all)(struct curl_slist *list);
};

// State lives in function-local statics: Swift emits the header's inline functions, not its global variables.
static inline struct ccurl_library *ccurl_storage(void) {
    static struct ccurl_library functions;
    return &functions;
}

static inline void ccurl_load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return;
    struct ccurl_library functions;
    *(void **)&functions.global_init = dlsym(library, "curl_global_init");
    *(void **)&functions.easy_init = dlsym(library, "curl_easy_init");
    *(void **)&functions.easy_cleanup = dlsym(library, "curl_easy_cleanup");
    *(void **)&functions.easy_perform = dlsym(library, "curl_easy_perform");
    *(void **)&functions.easy_strerror = dlsym(library, "curl_easy_strerror");
    *(void **)&functions.easy_setopt = dlsym(library, "curl_easy_setopt");
    *(void **)&functions.easy_getinfo = dlsym(library, "curl_easy_getinfo");
    *(void **)&functions.slist_append = dlsym(library, "curl_slist_append");
    *(void **)&functions.slist_free_all = dlsym(library, "curl_slist_free_all");
    if (functions.global_init && functions.easy_init && functions.easy_cleanup && functions.easy_perform && functions.easy_strerror
        && functions.easy_setopt && functions.easy_getinfo && functions.slist_append && functions.slist_free_all) {
        *ccurl_storage() = functions;
    }
}

/// libcurl's functions, opened on the first call (thread-safe); all NULL if libcurl is missing.
static inline const struct ccurl_library *ccurl(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ccurl_load);
    return ccurl_storage();
}

/// Whether libcurl could be opened.
static inline int ccurl_available(void) { return ccurl()->easy_init != NULL; }

static inline CURLcode ccurl_global_init(long flags) {
    return ccurl()->global_init ? ccurl()->global_init(flags) : CURLE_FAILED_INIT;
}
static inline CURL *ccurl_easy_init(void) {
    return ccurl()->easy_init ? ccurl()->easy_init() : NULL;
}
static inline void ccurl_easy_cleanup(CURL *handle) {
    if (ccurl()->easy_cleanup) ccurl()->easy_cleanup(handle);
}
static inline CURLcode ccurl_easy_perform(CURL *handle) {
    return ccurl()->easy_perform ? ccurl()->easy_perform(handle) : CURLE_FAILED_INIT;
}
static inline const char *ccurl_easy_strerror(CURLcode code) {
    return ccurl()->easy_strerror ? ccurl()->easy_strerror(code) : "libcurl (libcurl.so.4) could not be loaded";
}
static inline struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *string) {
    return ccurl()->slist_append ? ccurl()->slist_append(list, string) : NULL;
}
static inline void ccurl_slist_free_all(struct curl_slist *list) {
    if (ccurl()->slist_free_all) ccurl()->slist_free_all(list);
}

static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return ccurl()->easy_setopt ? ccurl()->easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return ccurl()->easy_setopt ? ccurl()->easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return ccurl()->easy_setopt ? ccurl()->easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return ccurl()->easy_setopt ? ccurl()->easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return ccurl()->easy_setopt ? ccurl()->easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_write_callback(CURL *handle, CURLoption option, ccurl_write_callback value) {
    return ccurl()->easy_setopt ? ccurl()->easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_xferinfo_callback(CURL *handle, ccurl_xferinfo_callback value) {
    return ccurl()->easy_setopt ? ccurl()->easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return ccurl()->easy_getinfo ? ccurl()->easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return ccurl()->easy_getinfo ? ccurl()->easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return ccurl()->easy_getinfo ? ccurl()->easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

#endif
