package io.livcloud.labtools.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads charts back for tests: an SVG must parse as XML, and its bars and texts are found by their class. */
public final class SvgDocuments {

    private SvgDocuments() {
    }

    /** The document; a malformed one fails the test with the parser's message. */
    public static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The elements with this tag and CSS class, in document order. */
    public static List<Element> elements(Document document, String tag, String cssClass) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName(tag);
        for (int index = 0; index < nodes.getLength(); index++) {
            Element element = (Element) nodes.item(index);
            if (element.getAttribute("class").equals(cssClass)) {
                found.add(element);
            }
        }
        return found;
    }
}
