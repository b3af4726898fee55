/**
 * LivCloud's configuration: the layered HOCON tree under {@code livcloud} (overrides, inline text, the user's file,
 * plugin defaults, core defaults), its validation against the core's and every extension's declared
 * {@link io.livcloud.spi.Setting settings}, and the {@link io.livcloud.spi.ExtensionConfig} views handed to plugins.
 *
 * <p>Loading never throws for bad user input: every problem is collected with the file and line it came from, so
 * {@code livcloud config check} can report all of them at once, before anything starts.
 */
package io.livcloud.core.config;
