/* A JavaScript runner for the pre-initialisation benchmark: QuickJS with a
 * prelude (lodash) loaded into its context before the program runs.
 *
 * `wizer.initialize` creates the runtime and the context and evaluates the
 * prelude. A pre-initialised build runs it at build time (wasmlink build
 * --preinit-export wizer.initialize); otherwise `main` runs it first.
 * `main` then evaluates argv[1] as a script and prints its value.
 *
 * QuickJS seeds Math.random from the clock when a context is made; the
 * clock cannot be read while a program is pre-initialised, so the seed is
 * the same in every build, pre-initialised or not (QuickJS is compiled
 * with gettimeofday renamed to qjs_gettimeofday). */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include "quickjs.h"

extern const char prelude_js[];
extern const unsigned prelude_js_len;

static JSRuntime *rt;
static JSContext *ctx;
static int initialising, initialised;

int qjs_gettimeofday(struct timeval *tv, void *tz) {
    if (initialising) {
        tv->tv_sec = 0;
        tv->tv_usec = 0;
        return 0;
    }
    return gettimeofday(tv, tz);
}

static int report(JSValue v) {
    if (JS_IsException(v)) {
        JSValue e = JS_GetException(ctx);
        const char *s = JS_ToCString(ctx, e);
        fprintf(stderr, "uncaught: %s\n", s ? s : "?");
        JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, e);
        return 1;
    }
    return 0;
}

__attribute__((export_name("wizer.initialize")))
void initialise(void) {
    initialising = 1;
    rt = JS_NewRuntime();
    ctx = JS_NewContext(rt);
    JSValue v = JS_Eval(ctx, prelude_js, prelude_js_len, "lodash.js", JS_EVAL_TYPE_GLOBAL);
    report(v);
    JS_FreeValue(ctx, v);
    initialising = 0;
    initialised = 1;
}

int main(int argc, char **argv) {
    if (!initialised)
        initialise();
    const char *script = argc > 1 ? argv[1] : "typeof _.VERSION";
    JSValue v = JS_Eval(ctx, script, strlen(script), "<argv>", JS_EVAL_TYPE_GLOBAL);
    if (report(v))
        return 1;
    const char *s = JS_ToCString(ctx, v);
    printf("%s\n", s ? s : "?");
    JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, v);
    return 0;
}
