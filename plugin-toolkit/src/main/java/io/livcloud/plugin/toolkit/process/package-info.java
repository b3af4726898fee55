/**
 * Running programs on this machine, for every plugin and the lab tools: {@link
 * io.livcloud.plugin.toolkit.process.ProcessRunner} runs a {@link io.livcloud.spi.host.HostCommand} to its end (argv,
 * stdin, timeout) and answers a {@link io.livcloud.spi.host.CommandResult}, the same types a remote host's
 * {@link io.livcloud.spi.host.HostAccess} speaks; it also starts daemons with a log and finds programs on PATH and in
 * the sbin folders. {@link io.livcloud.plugin.toolkit.process.RunningCommand} is a program that still runs. Failures to
 * start are {@link io.livcloud.spi.ExtensionException}s with {@link
 * io.livcloud.plugin.toolkit.process.ProcessErrorCode}.
 */
package io.livcloud.plugin.toolkit.process;
