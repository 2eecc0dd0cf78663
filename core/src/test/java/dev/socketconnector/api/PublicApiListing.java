package dev.socketconnector.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API of a module as text: every public or protected type compiled into its
 * classes folder, with its public and protected members, one line each, sorted. A
 * committed listing ({@code src/test/resources/public-api.txt}) is compared with it, so
 * an API change is a visible diff in review. To accept a change, run the test with
 * {@code -Dpublic-api.update=true} and commit the file.
 */
public final class PublicApiListing {

    private PublicApiListing() {
    }

    /**
     * The listing of every type below {@code classesDir} whose name starts with
     * {@code packagePrefix}.
     */
    public static String listing(Path classesDir, String packagePrefix) {
        List<String> lines = new ArrayList<>();
        for (Class<?> type : types(classesDir, packagePrefix)) {
            if (!isApi(type)) {
                continue;
            }
            lines.add(header(type));
            List<String> members = new ArrayList<>();
            for (Field field : type.getDeclaredFields()) {
                if (isApi(field) && !field.isSynthetic()) {
                    members.add("  field " + field.toGenericString());
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (isApi(constructor) && !constructor.isSynthetic()) {
                    members.add("  constructor " + constructor.toGenericString());
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (isApi(method) && !method.isSynthetic() && !method.isBridge()) {
                    members.add("  method " + method.toGenericString());
                }
            }
            members.sort(null);
            lines.addAll(members);
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * Asserts that the listing of {@code classesDir} equals the committed
     * {@code expectedFile}; with {@code -Dpublic-api.update=true} rewrites the file
     * instead.
     */
    public static void assertUnchanged(Path classesDir, String packagePrefix, Path expectedFile) throws IOException {
        String actual = listing(classesDir, packagePrefix);
        if (Boolean.getBoolean("public-api.update")) {
            Files.createDirectories(expectedFile.getParent());
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(Files.exists(expectedFile))
            .as("committed API listing %s (create it with -Dpublic-api.update=true)", expectedFile)
            .isTrue();
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
        assertThat(actual)
            .as("the public API changed: review the diff, then accept it with "
                    + "-Dpublic-api.update=true and commit %s", expectedFile)
            .isEqualTo(expected);
    }

    private static String header(Class<?> type) {
        String kind = type.isAnnotation() ? "@interface"
                : type.isInterface() ? "interface" : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
        StringBuilder text = new StringBuilder(Modifier
            .toString(type.getModifiers() & ~Modifier.INTERFACE & ~(type.isInterface() ? Modifier.ABSTRACT : 0)));
        if (type.isSealed()) {
            text.append(" sealed");
        }
        text.append(' ').append(kind).append(' ').append(type.getTypeName());
        if (type.getTypeParameters().length > 0) {
            text.append(Arrays.stream(type.getTypeParameters())
                .map(Object::toString)
                .collect(Collectors.joining(", ", "<", ">")));
        }
        if (type.getGenericSuperclass() != null && !type.isEnum() && !type.isRecord()
                && type.getSuperclass() != Object.class) {
            text.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        if (type.getGenericInterfaces().length > 0) {
            text.append(type.isInterface() ? " extends " : " implements ")
                .append(Arrays.stream(type.getGenericInterfaces())
                    .map(t -> t.getTypeName())
                    .collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            text.append(" permits ")
                .append(Arrays.stream(type.getPermittedSubclasses())
                    .map(Class::getName)
                    .sorted()
                    .collect(Collectors.joining(", ")));
        }
        return text.toString().trim();
    }

    private static boolean isApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) && !Modifier.isProtected(t.getModifiers())) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic();
    }

    private static boolean isApi(Member member) {
        int modifiers = member.getModifiers();
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static List<Class<?>> types(Path classesDir, String packagePrefix) {
        String folder = packagePrefix.replace('.', '/');
        Path root = classesDir.resolve(folder);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                .map(f -> classesDir.relativize(f).toString())
                .filter(name -> !name.endsWith("package-info.class") && !name.endsWith("module-info.class"))
                .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                .sorted()
                .map(PublicApiListing::load)
                .collect(Collectors.toList());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicApiListing.class.getClassLoader());
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException("cannot load " + name, ex);
        }
    }

}
