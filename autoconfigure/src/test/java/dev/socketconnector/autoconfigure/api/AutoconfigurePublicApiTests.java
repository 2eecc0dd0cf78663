package dev.socketconnector.autoconfigure.api;

import java.nio.file.Path;

import dev.socketconnector.api.PublicApiListing;
import org.junit.jupiter.api.Test;

/**
 * The public API of the auto-configuration is committed as
 * {@code src/test/resources/public-api.txt}: a change to it shows in review as a diff of
 * that file.
 */
class AutoconfigurePublicApiTests {

    @Test
    void publicApiMatchesTheCommittedListing() throws Exception {
        PublicApiListing.assertUnchanged(Path.of("target/classes"), "dev.socketconnector.autoconfigure",
                Path.of("src/test/resources/public-api.txt"));
    }

}
