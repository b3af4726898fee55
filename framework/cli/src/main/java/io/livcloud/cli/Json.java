package io.livcloud.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes the JSON documents of {@code --output json}: plain maps and lists, so the format is what the code shows. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {
    }

    /** One compact line, for JSON-lines output. */
    public static String writeLine(Object document) {
        try {
            return COMPACT.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps and lists always serialize", e);
        }
    }

    public static String write(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps and lists always serialize", e);
        }
    }
}
