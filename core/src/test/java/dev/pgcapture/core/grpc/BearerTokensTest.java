package dev.pgcapture.core.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokensTest {

    @TempDir
    Path dir;

    @Test
    void read_skipsBlankLinesAndComments_trimsSpaces_keepsOrder() throws Exception {
        Path file = Files.writeString(dir.resolve("t"), "# rotation\n\n  new-one \r\n#old-one\nold-one\n");
        assertEquals(List.of("new-one", "old-one"), BearerTokens.read(file));
        assertEquals("new-one", BearerTokens.first(file));
    }

    @Test
    void read_tokenWithASpace_isAnErrorNamingTheLineButNotTheToken() throws Exception {
        Path file = Files.writeString(dir.resolve("t"), "# x\nhalf secret\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BearerTokens.read(file));
        assertEquals("token file " + file + " line 2: a token may hold only visible ASCII characters, no spaces", e.getMessage());
    }

    @Test
    void refusal_saysWhatIsWrong_andAcceptsTheSchemeInAnyCase() {
        BearerTokenInterceptor interceptor = new BearerTokenInterceptor(List.of("abc", "def"));
        assertTrue(interceptor.refusal(null).contains("needs a bearer token"));
        assertEquals("the authorization header is not of the form \"Bearer <token>\"", interceptor.refusal("Basic YWJjOmRlZg=="));
        assertEquals("the bearer token is not accepted by this server", interceptor.refusal("Bearer abd"));
        assertNull(interceptor.refusal("Bearer abc"));
        assertNull(interceptor.refusal("bearer def"));
        assertFalse(interceptor.refusal("Bearer abcd").contains("abcd"));
    }
}
