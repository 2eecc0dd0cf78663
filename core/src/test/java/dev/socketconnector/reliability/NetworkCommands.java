package dev.socketconnector.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code ip}/{@code tc} commands that build and remove the test networks of
 * {@link NetemTests} and {@link PeerNamespace}: each bounded to 20 s, and a failure is an
 * {@link AssertionError} that names the command, what happened and what the tests need.
 */
final class NetworkCommands {

    private final String network;

    private final String needs;

    /**
     * @param network what is being built, for the error ("the lossy test network")
     * @param needs what the tests need, for the error ("root (CAP_NET_ADMIN) and
     * iproute2")
     */
    NetworkCommands(String network, String needs) {
        this.network = network;
        this.needs = needs;
    }

    /**
     * Runs the command; a failure to start, a timeout or an exit code other than 0 fail.
     */
    void run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (IOException ex) {
            throw new AssertionError(why(command, "cannot run it: " + ex.getMessage()), ex);
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(why(command, "did not finish in 20 s"));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(why(command,
                    "exited " + process.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).trim()));
        }
    }

    /** Runs the command inside the network namespace. */
    void inNamespace(String namespace, String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(Arrays.asList(command));
        run(all.toArray(new String[0]));
    }

    /**
     * The message of a failed command: the command, what happened, what the tests need.
     */
    String why(String[] command, String what) {
        return "cannot build " + this.network + ": `" + String.join(" ", command) + "` " + what + ". These tests need "
                + this.needs + "; they are not skipped.";
    }

    /** Runs a clean-up command, best effort: its outcome is ignored. */
    static void quietly(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        catch (IOException | InterruptedException ex) {
            // best effort
        }
    }

}
