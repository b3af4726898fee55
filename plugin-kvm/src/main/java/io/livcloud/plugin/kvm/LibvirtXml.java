package io.livcloud.plugin.kvm;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** The JDK's DOM parser, locked down (libvirt's XML has no DTD), and the few lookups libvirt's documents need. */
final class LibvirtXml {

    private LibvirtXml() {
    }

    /**
     * Parses a document and returns its root element.
     *
     * @param what what the text is, for the error message, e.g. "the domain XML of 'web1'"
     * @throws IllegalArgumentException if it is not well-formed XML
     */
    static Element parse(String text, String what) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(text))).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException(what + " is not well-formed XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured securely", e);
        }
    }

    /** The first child element with this name. */
    static Optional<Element> child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    /** The element at this path of child names, e.g. {@code "os", "type"}. */
    static Optional<Element> path(Element start, String... names) {
        Optional<Element> current = Optional.of(start);
        for (String name : names) {
            current = current.flatMap(element -> child(element, name));
        }
        return current;
    }

    /** All child elements with this name, in document order. */
    static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                children.add(element);
            }
        }
        return children;
    }

    /** An attribute's value; empty when absent or blank. */
    static Optional<String> attribute(Element element, String name) {
        String value = element.getAttribute(name);
        return value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** The element's text, stripped; empty when blank. */
    static Optional<String> text(Element element) {
        String text = element.getTextContent();
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
    }

    /** The element as a standalone XML fragment, e.g. a {@code <cpu>} element for libvirt's CPU APIs. */
    static String serialize(Element element) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter writer = new StringWriter();
            transformer.transform(new DOMSource(element), new StreamResult(writer));
            return writer.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize <" + element.getTagName() + ">", e);
        }
    }
}
