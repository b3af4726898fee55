package io.livcloud.plugin.kvm.libvirt;

import com.sun.jna.Pointer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an array of {@code virTypedParameter} that libvirt allocated. The layout is fixed by libvirt's ABI on LP64
 * platforms (x86_64, aarch64): {@code char field[80]}, {@code int type}, 4 bytes of padding, an 8-byte union.
 */
final class TypedParameters {

    /** {@code VIR_TYPED_PARAM_FIELD_LENGTH}. */
    static final int FIELD_LENGTH = 80;
    /** {@code sizeof(virTypedParameter)}. */
    static final int SIZE = 96;
    private static final int TYPE_OFFSET = FIELD_LENGTH;
    private static final int VALUE_OFFSET = 88;

    private TypedParameters() {
    }

    /**
     * The parameters by name; integers of every width as {@link Long} (unsigned ones are never above
     * {@link Long#MAX_VALUE} in job statistics), doubles, booleans and strings as themselves.
     */
    static Map<String, Object> read(Pointer parameters, int count) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int index = 0; index < count; index++) {
            Pointer parameter = parameters.share((long) index * SIZE);
            String name = parameter.getString(0);
            Pointer value = parameter.share(VALUE_OFFSET);
            Object decoded = switch (parameter.getInt(TYPE_OFFSET)) {
                case 1 -> (long) value.getInt(0); // VIR_TYPED_PARAM_INT
                case 2 -> Integer.toUnsignedLong(value.getInt(0)); // VIR_TYPED_PARAM_UINT
                case 3, 4 -> value.getLong(0); // VIR_TYPED_PARAM_LLONG, VIR_TYPED_PARAM_ULLONG
                case 5 -> value.getDouble(0); // VIR_TYPED_PARAM_DOUBLE
                case 6 -> value.getByte(0) != 0; // VIR_TYPED_PARAM_BOOLEAN (a char)
                case 7 -> value.getPointer(0) == null ? "" : value.getPointer(0).getString(0); // VIR_TYPED_PARAM_STRING
                default -> null; // a type newer than this code: skipped
            };
            if (decoded != null) {
                values.put(name, decoded);
            }
        }
        return values;
    }
}
