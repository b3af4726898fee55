package io.livcloud.plugin.kvm.libvirt;

import java.util.Optional;

/** The real {@link LibvirtFacade}: libvirt-java ({@code org.libvirt}) plus {@link NativeLibvirt} where it falls short. */
public final class LibvirtJavaFacade implements LibvirtFacade {

    @Override
    public Optional<String> unavailableReason() {
        try {
            NativeLibvirt.load();
            return Optional.empty();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.of("libvirt's client library libvirt.so.0 cannot be loaded (" + e.getMessage() + ")");
        }
    }

    @Override
    public LibvirtConnection connect(String uri) {
        return LibvirtJavaConnection.open(uri);
    }
}
