package dev.socketconnector.api;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The public API of core is committed as {@code src/test/resources/public-api.txt}: a
 * change to it shows in review as a diff of that file.
 */
class CorePublicApiTests {

    @Test
    void publicApiMatchesTheCommittedListing() throws Exception {
        PublicApiListing.assertUnchanged(Path.of("target/classes"), "dev.socketconnector",
                Path.of("src/test/resources/public-api.txt"));
    }

}
