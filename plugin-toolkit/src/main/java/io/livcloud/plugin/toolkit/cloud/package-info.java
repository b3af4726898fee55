/**
 * What the cloud provider plugins share:
 *
 * <ul>
 *   <li>{@link io.livcloud.plugin.toolkit.cloud.CloudTags}: the tags every resource of a site carries, by which
 *       teardown finds exactly that site's resources;</li>
 *   <li>{@link io.livcloud.plugin.toolkit.cloud.Ipv4Cidr} and {@link io.livcloud.plugin.toolkit.cloud.SiteNetwork}: a
 *       site's VM subnet, peer gateway and operator CIDR, checked, with errors that name the setting and the fix;</li>
 *   <li>{@link io.livcloud.plugin.toolkit.cloud.HostBootstrap}: the cloud-init user data that makes a Debian 12 VM a
 *       LivCloud host (libvirt, QEMU from bookworm-backports, strongSwan with VICI) and writes a readiness report,
 *       {@link io.livcloud.plugin.toolkit.cloud.BootstrapStatus}, which
 *       {@link io.livcloud.plugin.toolkit.cloud.BootstrapWait} reads through the host's access;</li>
 *   <li>{@link io.livcloud.plugin.toolkit.cloud.CloudHostSsh}: the provider's SSH access to its hosts at their public
 *       addresses, for its {@code hostAccess} and its bootstrap checks;</li>
 *   <li>{@link io.livcloud.plugin.toolkit.cloud.CloudCallException}: the common base of a cloud call that failed
 *       (operation, the provider's error code and message), which each plugin's facade throws and its error
 *       translation turns into its own error code and remedy.</li>
 * </ul>
 *
 * Failures are {@link io.livcloud.spi.ExtensionException}s with the calling plugin's own error code where the caller
 * passes one (address checks).
 */
package io.livcloud.plugin.toolkit.cloud;
