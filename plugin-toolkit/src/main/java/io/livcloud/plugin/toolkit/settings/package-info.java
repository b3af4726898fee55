/**
 * A plugin's settings, declared once. Each setting is a {@link io.livcloud.plugin.toolkit.settings.TypedSetting}
 * constant of the plugin's {@code XxxConfig}: its key, type and description for the host and its Java type for the
 * plugin. The defaults are in the plugin's {@code reference.conf} and nowhere else; a
 * {@link io.livcloud.plugin.toolkit.settings.SettingsReader} reads the merged section without a fallback of its own,
 * and the toolkit's test support ({@code io.livcloud.testing.plugin.ReferenceConf}, in the toolkit's
 * {@code tests} jar) lets each plugin test that its declarations and its {@code reference.conf} agree.
 *
 * <p>Like the rest of the toolkit, this reads only the SPI's {@link io.livcloud.spi.ExtensionConfig}: plugins do not
 * see the host's configuration library.
 */
package io.livcloud.plugin.toolkit.settings;
