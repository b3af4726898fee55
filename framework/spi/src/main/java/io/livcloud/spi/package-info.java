/**
 * LivCloud's service provider interface: the four extension points a plugin may implement and the host services a
 * plugin may use.
 *
 * <p>Every extension point is a stateless factory ({@link io.livcloud.spi.ExtensionFactory}) that the host discovers
 * through PF4J, asks whether it can work here ({@link io.livcloud.spi.ExtensionFactory#isSupported}) and then asks to
 * {@link io.livcloud.spi.ExtensionFactory#create create} the object that does the work. The kinds are
 * {@link io.livcloud.spi.provider.CloudProviderFactory provider}, {@link io.livcloud.spi.tunnel.TunnelFactory tunnel},
 * {@link io.livcloud.spi.hypervisor.HypervisorFactory hypervisor} and
 * {@link io.livcloud.spi.probe.RegisterProbeFactory register-probe}.
 *
 * <p>The SPI uses JDK types only, so a plugin is free to bring any library version it likes in its own class loader;
 * the host shares nothing else with it but this package, PF4J and SLF4J.
 */
package io.livcloud.spi;
