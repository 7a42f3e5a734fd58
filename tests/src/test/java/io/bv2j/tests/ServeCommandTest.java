package io.bv2j.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bv2j serve` refuses bad options in one line with exit code 2, before it binds anything. */
class ServeCommandTest {
    @ParameterizedTest(name = "serve {0}")
    @CsvSource(delimiter = '|', value = {
            "--voice=nameonly                               | expected NAME=CONFIG,CHECKPOINT",
            "--voice=a=b                                    | expected NAME=CONFIG,CHECKPOINT",
            "--voice=bad/name=c.json,g.pth                  | the name must be",
            "--voice=v=/nonexistent/config.json,/nonexistent/G_0.pth | config.json",
            "--device=cuda                                  | cuda",
            "--port=70000                                   | port must be in",
            "--batch-max=0                                  | batches must be",
            "--queue=0                                      | the queue must hold",
    })
    void badOptionsAreOneLine(String option, String fragment) {
        assertOneLine(Cli.run("serve", option.strip()), fragment);
    }

    @Test
    void aPortInUseIsOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertOneLine(Cli.run("serve", "--port=" + taken.getLocalPort()), "cannot listen on");
        }
    }

    private static void assertOneLine(Cli r, String fragment) {
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("bv2j: error: "), err);
        assertFalse(err.contains("Exception"), err);
        assertTrue(err.toLowerCase().contains(fragment.strip().toLowerCase()), "'" + fragment + "' in: " + err);
    }
}
