package dev.pgcapture.core.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.proto.DBLogControllerGrpc;
import dev.pgcapture.proto.ListSchedulesRequest;
import dev.pgcapture.proto.ListSchedulesResponse;
import dev.pgcapture.proto.ScheduleProgress;
import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Netty servers and clients on loopback: TLS, client certificates and bearer tokens end to end. */
class GrpcSecurityTest {

    /** Answers ListSchedules with one schedule named "secret-data", so a test sees a call got through. */
    static final class Controller extends DBLogControllerGrpc.DBLogControllerImplBase {
        @Override
        public void listSchedules(ListSchedulesRequest request, StreamObserver<ListSchedulesResponse> response) {
            response.onNext(ListSchedulesResponse.newBuilder().addSchedules(ScheduleProgress.newBuilder().setUri("secret-data")).build());
            response.onCompleted();
        }
    }

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static Path tokens;

    private final List<GrpcServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        tokens = Files.writeString(dir.resolve("tokens"), "# accepted tokens\n\nfirst-token\n  second-token  \n");
    }

    @AfterEach
    void stop() throws Exception {
        channels.forEach(GrpcChannels::shutdown);
        for (GrpcServer server : servers) {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    private String serve(ServerSecurity security) throws Exception {
        GrpcServer server = GrpcServer.on(new InetSocketAddress("127.0.0.1", 0), security, new Controller()).start();
        servers.add(server);
        return "localhost:" + server.port();
    }

    private List<ScheduleProgress> call(String target, ClientSecurity security) {
        ManagedChannel channel = security.open(target);
        channels.add(channel);
        return DBLogControllerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .listSchedules(ListSchedulesRequest.getDefaultInstance()).getSchedulesList();
    }

    private Status refused(String target, ClientSecurity security) {
        return assertThrows(StatusRuntimeException.class, () -> call(target, security)).getStatus();
    }

    private static ServerSecurity.Builder tlsServer() {
        return ServerSecurity.builder().tls(certs.server().cert(), certs.server().key());
    }

    private static ClientSecurity.Builder tlsClient() {
        return ClientSecurity.builder().trustedCa(certs.caCert());
    }

    private static Path tokenFile(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void tlsServer_tlsClientTrustingItsCa_gets_answers() throws Exception {
        String target = serve(tlsServer().build());
        assertEquals("secret-data", call(target, tlsClient().build()).get(0).getUri());
    }

    @Test
    void tlsServer_plaintextClient_isRefused() throws Exception {
        String target = serve(tlsServer().build());
        assertEquals(Status.Code.UNAVAILABLE, refused(target, ClientSecurity.plaintext()).getCode());
    }

    @Test
    void tlsServer_clientNotTrustingItsCa_isRefused() throws Exception {
        String target = serve(tlsServer().build());
        assertEquals(Status.Code.UNAVAILABLE, refused(target, ClientSecurity.builder().trustedCa(certs.otherCaCert()).build()).getCode());
    }

    @Test
    void clientCertificateRequired_noCertificate_isRefused() throws Exception {
        String target = serve(tlsServer().clientCertificates(certs.caCert(), ServerSecurity.ClientAuth.REQUIRE).build());
        assertEquals(Status.Code.UNAVAILABLE, refused(target, tlsClient().build()).getCode());
    }

    @Test
    void clientCertificateRequired_certificateOfAnotherCa_isRefused() throws Exception {
        String target = serve(tlsServer().clientCertificates(certs.caCert(), ServerSecurity.ClientAuth.REQUIRE).build());
        ClientSecurity stranger = tlsClient().clientCertificate(certs.otherClient().cert(), certs.otherClient().key()).build();
        assertEquals(Status.Code.UNAVAILABLE, refused(target, stranger).getCode());
    }

    @Test
    void clientCertificateRequired_certificateOfTheClientCa_getsAnswers() throws Exception {
        String target = serve(tlsServer().clientCertificates(certs.caCert(), ServerSecurity.ClientAuth.REQUIRE).build());
        ClientSecurity client = tlsClient().clientCertificate(certs.client().cert(), certs.client().key()).build();
        assertEquals("secret-data", call(target, client).get(0).getUri());
    }

    @Test
    void clientCertificateOptional_withOrWithoutCertificate_getsAnswers() throws Exception {
        String target = serve(tlsServer().clientCertificates(certs.caCert(), ServerSecurity.ClientAuth.OPTIONAL).build());
        assertEquals(1, call(target, tlsClient().build()).size());
        assertEquals(1, call(target, tlsClient().clientCertificate(certs.client().cert(), certs.client().key()).build()).size());
    }

    @Test
    void token_missing_isUnauthenticatedSayingATokenIsNeeded() throws Exception {
        String target = serve(tlsServer().tokenFile(tokens).build());
        Status status = refused(target, tlsClient().build());
        assertEquals(Status.Code.UNAUTHENTICATED, status.getCode());
        assertTrue(status.getDescription().contains("needs a bearer token"), status.getDescription());
    }

    @Test
    void token_wrong_isUnauthenticatedWithoutEchoingIt() throws Exception {
        String target = serve(tlsServer().tokenFile(tokens).build());
        Status status = refused(target, tlsClient().tokenFile(tokenFile("wrong", "guessed-token\n")).build());
        assertEquals(Status.Code.UNAUTHENTICATED, status.getCode());
        assertEquals("the bearer token is not accepted by this server", status.getDescription());
    }

    @Test
    void token_firstAndSecondOfTheServersFile_areBothAccepted() throws Exception {
        String target = serve(tlsServer().tokenFile(tokens).build());
        assertEquals(1, call(target, tlsClient().tokenFile(tokenFile("first", "first-token\n")).build()).size());
        assertEquals(1, call(target, tlsClient().tokenFile(tokenFile("second", "# rotated\nsecond-token\n")).build()).size());
    }

    @Test
    void token_withClientCertificateRequired_needsBoth() throws Exception {
        String target = serve(tlsServer().clientCertificates(certs.caCert(), ServerSecurity.ClientAuth.REQUIRE).tokenFile(tokens).build());
        ClientSecurity.Builder withCert = tlsClient().clientCertificate(certs.client().cert(), certs.client().key());
        assertEquals(Status.Code.UNAUTHENTICATED, refused(target, withCert.build()).getCode());
        assertEquals(1, call(target, withCert.tokenFile(tokenFile("good", "second-token")).build()).size());
    }

    @Test
    void token_overPlaintextToLoopback_isSentAndAccepted() throws Exception {
        GrpcServer server = GrpcServer.on(new InetSocketAddress("127.0.0.1", 0), ServerSecurity.builder().tokenFile(tokens).build(),
                new Controller()).start();
        servers.add(server);
        assertEquals(1, call("127.0.0.1:" + server.port(), ClientSecurity.builder().tokenFile(tokenFile("loop", "first-token")).build()).size());
        assertEquals(Status.Code.UNAUTHENTICATED, refused("127.0.0.1:" + server.port(), ClientSecurity.plaintext()).getCode());
    }

    @Test
    void grpcChannels_withClientSecurity_reachAServerNeedingClientCertificateAndToken() throws Exception {
        String target = serve(tlsServer().clientCertificates(certs.caCert(), ServerSecurity.ClientAuth.REQUIRE).tokenFile(tokens).build());
        ClientSecurity security = tlsClient().clientCertificate(certs.client().cert(), certs.client().key())
                .tokenFile(tokenFile("outgoing", "first-token")).build();
        try (GrpcChannels agents = new GrpcChannels(security)) {
            assertEquals(1, DBLogControllerGrpc.newBlockingStub(agents.get(target)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listSchedules(ListSchedulesRequest.getDefaultInstance()).getSchedulesCount());
        }
    }

    @Test
    void token_overPlaintextToAnotherHost_isNotSentUnlessAllowed() {
        List<Status> failures = new ArrayList<>();
        List<Metadata> sent = new ArrayList<>();
        CallCredentials.MetadataApplier applier = new CallCredentials.MetadataApplier() {
            @Override
            public void apply(Metadata headers) {
                sent.add(headers);
            }

            @Override
            public void fail(Status status) {
                failures.add(status);
            }
        };
        BearerTokenCredentials.of("first-token").applyRequestMetadata(plaintextTo("10.1.2.3"), Runnable::run, applier);
        assertEquals(Status.Code.UNAUTHENTICATED, failures.get(0).getCode());
        assertEquals("refusing to send the bearer token to db.example:10000 over a plaintext connection: connect with TLS, "
                + "or allow plaintext tokens explicitly", failures.get(0).getDescription());
        assertTrue(sent.isEmpty());
        BearerTokenCredentials.allowingPlaintext("first-token").applyRequestMetadata(plaintextTo("10.1.2.3"), Runnable::run, applier);
        assertEquals("Bearer first-token", sent.get(0).get(BearerTokenInterceptor.AUTHORIZATION));
    }

    private static CallCredentials.RequestInfo plaintextTo(String ip) {
        return new CallCredentials.RequestInfo() {
            @Override
            public MethodDescriptor<?, ?> getMethodDescriptor() {
                return DBLogControllerGrpc.getListSchedulesMethod();
            }

            @Override
            public SecurityLevel getSecurityLevel() {
                return SecurityLevel.NONE;
            }

            @Override
            public String getAuthority() {
                return "db.example:10000";
            }

            @Override
            public Attributes getTransportAttrs() {
                return Attributes.newBuilder().set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, new InetSocketAddress(ip, 10000)).build();
            }
        };
    }

    @Test
    void tokenFile_empty_isAnErrorNamingTheFile() throws Exception {
        Path empty = tokenFile("empty", "# nothing yet\n\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerSecurity.builder().tokenFile(empty).build());
        assertEquals("token file " + empty + " holds no token (one token a line; blank lines and # comments do not count)", e.getMessage());
    }

    @Test
    void tokenFile_missing_isAnErrorNamingTheFile() {
        Path missing = dir.resolve("no-such-file");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientSecurity.builder().tokenFile(missing).build());
        assertEquals("token file " + missing + " does not exist", e.getMessage());
    }

    @Test
    void certificateFile_missing_isAnErrorNamingItsRole() {
        Path missing = dir.resolve("missing.pem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerSecurity.builder().tls(missing, certs.server().key()).build());
        assertEquals("the server certificate chain " + missing + " does not exist or is not a file", e.getMessage());
    }

    @Test
    void privateKey_notMatchingTheCertificate_isAnErrorNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerSecurity.builder().tls(certs.server().cert(), certs.client().key()).build());
        assertEquals("the server private key " + certs.client().key() + " does not belong to the server certificate chain "
                + certs.server().cert(), e.getMessage());
    }

    @Test
    void privateKey_notPkcs8_isAnErrorSayingHowToConvertIt() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("rsa-key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientSecurity.builder().clientCertificate(certs.client().cert(), pkcs1).build());
        assertTrue(e.getMessage().startsWith("the client private key " + pkcs1 + " is not an unencrypted PKCS#8 PEM key"), e.getMessage());
    }

    @Test
    void clientCa_withoutServerCertificate_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerSecurity.builder().clientCertificates(certs.caCert(), ServerSecurity.ClientAuth.REQUIRE).build());
        assertTrue(e.getMessage().startsWith("client certificates need TLS"), e.getMessage());
    }

    @Test
    void descriptions_nameFilesButNeverTokens() throws Exception {
        ServerSecurity server = tlsServer().tokenFile(tokens).build();
        ClientSecurity client = tlsClient().tokenFile(tokens).build();
        for (String description : List.of(server.toString(), client.toString(), client.callCredentials().orElseThrow().toString())) {
            assertFalse(description.contains("first-token") || description.contains("second-token"), description);
        }
        assertTrue(server.toString().contains(tokens.toString()), server.toString());
        assertTrue(server.tls() && client.tls());
    }
}
