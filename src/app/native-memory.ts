// Settings of the memory the process holds outside V8's heaps, applied before the native modules that read them
// are loaded.

/**
 * resvg, which draws the chart pictures, allocates through its own allocator, mimalloc. By default mimalloc
 * keeps freed pages for a delay and returns them to the system only at its next allocation or free in the
 * thread that owns them; the pictures are drawn on libuv's thread pool, whose threads then sit idle between
 * charts holding the pages of pictures already freed (a tall chart page is 11 MB of pixels), tens of MB in all.
 * With no delay they are returned as they are freed. mimalloc reads the setting from the process's environment
 * when resvg's module is loaded (at the first chart), so this must run before that, on the main thread (a
 * worker's `process.env` is its own copy). An operator's own `MIMALLOC_PURGE_DELAY` is kept.
 */
export function configureNativeMemory(): void {
  process.env.MIMALLOC_PURGE_DELAY ??= "0";
}
