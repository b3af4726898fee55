/**
 * The core's internals: wiring, validation against plugins, the extension catalog. Not an API: embedding applications
 * use {@link io.livcloud.LivCloud}.
 */
package io.livcloud.core;
