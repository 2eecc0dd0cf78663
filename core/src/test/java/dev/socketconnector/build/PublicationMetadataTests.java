package dev.socketconnector.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Maven Central requires of a published pom (issue 18): a licence, an SCM section,
 * developers, a URL, a name and a description. The parent declares licence, SCM,
 * developers and URL (the modules inherit them); every module declares its own name and
 * description. The repository carries the Apache-2.0 LICENSE file.
 */
class PublicationMetadataTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void licenseFileIsApache2() throws Exception {
        String license = Files.readString(ROOT.resolve("LICENSE"));
        assertThat(license).contains("Apache License")
            .contains("Version 2.0, January 2004")
            .contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("Apache License, Version 2.0");
    }

    @Test
    void parentDeclaresWhatCentralRequires() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        assertThat(text(parent, "url")).startsWith("https://");
        assertThat(text(parent, "description")).isNotBlank();
        Element license = child(child(parent, "licenses"), "license");
        assertThat(text(license, "name")).isEqualTo("Apache License, Version 2.0");
        assertThat(text(license, "url")).isEqualTo("https://www.apache.org/licenses/LICENSE-2.0.txt");
        Element scm = child(parent, "scm");
        assertThat(text(scm, "connection")).startsWith("scm:git:");
        assertThat(text(scm, "developerConnection")).startsWith("scm:git:");
        assertThat(text(scm, "url")).startsWith("https://");
        Element developer = child(child(parent, "developers"), "developer");
        assertThat(text(developer, "name")).isNotBlank();
        // modules inherit url and scm without Maven appending their artifactId to the
        // path
        assertThat(parent.getAttribute("child.project.url.inherit.append.path")).isEqualTo("false");
        assertThat(scm.getAttribute("child.scm.url.inherit.append.path")).isEqualTo("false");
    }

    @Test
    void everyModuleHasNameAndDescriptionAndInheritsTheRest() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        List<String> modules = new ArrayList<>();
        NodeList list = child(parent, "modules").getElementsByTagName("module");
        for (int i = 0; i < list.getLength(); i++) {
            modules.add(list.item(i).getTextContent().trim());
        }
        assertThat(modules).contains("core", "autoconfigure", "starter");
        for (String module : modules) {
            Element pom = read(ROOT.resolve(module).resolve("pom.xml"));
            assertThat(text(pom, "name")).as(module + " name").isNotBlank();
            assertThat(text(pom, "description")).as(module + " description").isNotBlank();
            assertThat(text(child(pom, "parent"), "artifactId")).as(module + " parent")
                .isEqualTo("socket-connector-parent");
            // a module that declared its own licences would have to repeat all of them:
            // none does
            assertThat(childOrNull(pom, "licenses")).as(module + " licenses").isNull();
        }
    }

    @Test
    void publishedLibrariesAttachSourcesAndJavadocWithDoclint() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        Element javadoc = managedPlugin(parent, "maven-javadoc-plugin");
        Element configuration = child(javadoc, "configuration");
        // a javadoc warning fails the build: doclint's every group is on
        assertThat(text(configuration, "doclint")).isEqualTo("all");
        assertThat(text(configuration, "failOnWarnings")).isEqualTo("true");
        assertThat(text(child(child(child(javadoc, "executions"), "execution"), "goals"), "goal")).isEqualTo("jar");
        assertThat(javadoc.getTextContent()).doesNotContain("-missing");
        assertThat(managedPlugin(parent, "maven-source-plugin").getTextContent()).contains("jar-no-fork");
        for (String module : List.of("core", "autoconfigure")) {
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            assertThat(pom).as(module)
                .contains("<artifactId>maven-source-plugin</artifactId>")
                .contains("<artifactId>maven-javadoc-plugin</artifactId>");
        }
        // the starter has no code: its sources and javadoc jars carry a README saying
        // where the docs are
        String starter = Files.readString(ROOT.resolve("starter/pom.xml"));
        assertThat(starter).contains("<classifier>sources</classifier>").contains("<classifier>javadoc</classifier>");
        assertThat(ROOT.resolve("starter/src/main/publication/README.txt")).isRegularFile();
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("./mvnw -B install -DskipTests");
    }

    private static Element managedPlugin(Element project, String artifactId) {
        NodeList plugins = child(child(child(project, "build"), "pluginManagement"), "plugins")
            .getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (text(plugin, "artifactId").equals(artifactId)) {
                return plugin;
            }
        }
        throw new AssertionError(artifactId + " is not in the parent's pluginManagement");
    }

    private static Element read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        Element child = childOrNull(parent, name);
        assertThat(child).as("<" + name + "> in <" + parent.getTagName() + ">").isNotNull();
        return child;
    }

    private static Element childOrNull(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && ((Element) node).getTagName().equals(name)) {
                return (Element) node;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }

}
