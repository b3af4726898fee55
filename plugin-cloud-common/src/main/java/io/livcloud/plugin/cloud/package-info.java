/**
 * What the cloud provider plugins share, bundled into each one's {@code lib/}; stable API for the ec2 and azure
 * plugins:
 *
 * <ul>
 *   <li>{@link io.livcloud.plugin.cloud.CloudTags}: the tags every resource of a site carries, by which teardown finds
 *       exactly that site's resources;</li>
 *   <li>{@link io.livcloud.plugin.cloud.Ipv4Cidr} and {@link io.livcloud.plugin.cloud.SiteNetwork}: a site's VM subnet,
 *       peer gateway and operator CIDR, checked, with errors that name the setting and the fix;</li>
 *   <li>{@link io.livcloud.plugin.cloud.HostBootstrap}: the cloud-init user data that makes a Debian 12 VM a LivCloud
 *       host (libvirt, QEMU from bookworm-backports, strongSwan with VICI) and writes a readiness report,
 *       {@link io.livcloud.plugin.cloud.BootstrapStatus};</li>
 *   <li>{@link io.livcloud.plugin.cloud.SshHostAccess}, {@link io.livcloud.plugin.cloud.SshTarget},
 *       {@link io.livcloud.plugin.cloud.SshKeys}: SSH to those hosts with Apache MINA SSHD (no {@code ssh} process),
 *       host keys trusted on first use and pinned afterwards.</li>
 * </ul>
 *
 * Failures are {@link io.livcloud.spi.ExtensionException}s: with the calling plugin's own error code where the caller
 * passes one (address checks), else with {@link io.livcloud.plugin.cloud.HostAccessErrorCode}.
 */
package io.livcloud.plugin.cloud;
