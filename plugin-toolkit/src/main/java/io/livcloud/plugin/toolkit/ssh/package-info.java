/**
 * SSH to a site's hosts with Apache MINA SSHD (no {@code ssh} process): {@link
 * io.livcloud.plugin.toolkit.ssh.SshHostAccess}, {@link io.livcloud.plugin.toolkit.ssh.SshTarget} and {@link
 * io.livcloud.plugin.toolkit.ssh.SshKeys}; host keys trusted on first use and pinned afterwards. Failures are {@link
 * io.livcloud.spi.ExtensionException}s with {@link io.livcloud.plugin.toolkit.ssh.HostAccessErrorCode}.
 */
package io.livcloud.plugin.toolkit.ssh;
