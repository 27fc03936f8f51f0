package dev.chorus.serve.config;

import dev.chorus.ChorusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path validConfig() throws IOException {
        write("a.gguf", "x");
        write("b.gguf", "x");
        return write("chorus.yaml", """
                server:
                  port: 9000
                  api_keys: [secret]
                experts:
                  - id: code
                    path: a.gguf
                    description: Python
                  - id: math
                    path: b.gguf
                  - id: big
                    base_url: http://10.0.0.5:8000/v1
                    model: qwen
                    api_key_env: BIG_KEY
                categories:
                  - name: code
                    expert: code
                  - name: math
                    description: arithmetic
                    expert: math
                fallback: big
                memory:
                  hot_memory: 1.5g
                  warm_memory: 512m
                limits:
                  max_queue: 3
                  max_request_bytes: 64k
                """);
    }

    @Test
    void loadsAValidConfigWithDefaultsAndResolvedPaths() throws IOException {
        ChorusConfig c = ConfigLoader.load(validConfig());
        assertThat(c.serverOrDefault().hostOrDefault()).isEqualTo("127.0.0.1");
        assertThat(c.serverOrDefault().portOrDefault()).isEqualTo(9000);
        assertThat(c.serverOrDefault().apiKeysOrEmpty()).containsExactly("secret");
        assertThat(c.experts()).hasSize(3);
        assertThat(Path.of(c.experts().get(0).path())).isEqualTo(dir.resolve("a.gguf").toAbsolutePath().normalize());
        assertThat(c.experts().get(2).isRemote()).isTrue();
        assertThat(c.fallback()).isEqualTo("big");
        assertThat(c.memoryOrDefault().hotOrDefault().bytes()).isEqualTo(1536L << 20);
        assertThat(c.memoryOrDefault().warmOrDefault().bytes()).isEqualTo(512L << 20);
        assertThat(c.limitsOrDefault().maxQueueOrDefault()).isEqualTo(3);
        assertThat(c.limitsOrDefault().maxRequestBytesOrDefault()).isEqualTo(64 * 1024);
        assertThat(c.limitsOrDefault().maxOutputTokensOrDefault()).isEqualTo(Limits.DEFAULT_MAX_OUTPUT_TOKENS);
    }

    @Test
    void defaultsToLoopbackAndFirstExpertAsFallback() throws IOException {
        write("a.gguf", "x");
        ChorusConfig c = ConfigLoader.load(write("c.yaml", "experts:\n  - id: a\n    path: a.gguf\n"));
        assertThat(c.serverOrDefault().hostOrDefault()).isEqualTo("127.0.0.1");
        assertThat(c.serverOrDefault().portOrDefault()).isEqualTo(8080);
        assertThat(c.fallback()).isEqualTo("a");
    }

    @Test
    void unknownKeyNamesTheKeyAndWhereItIs() throws IOException {
        write("a.gguf", "x");
        Path p = write("c.yaml", "experts:\n  - id: a\n    path: a.gguf\n  - id: b\n    paht: a.gguf\n");
        assertThatThrownBy(() -> ConfigLoader.load(p)).isInstanceOf(ChorusException.class)
                .hasMessageContaining("unknown key 'paht'").hasMessageContaining("experts[1]");
        Path top = write("d.yaml", "experts:\n  - id: a\n    path: a.gguf\nlimit:\n  max_queue: 2\n");
        assertThatThrownBy(() -> ConfigLoader.load(top)).hasMessageContaining("unknown key 'limit'");
    }

    @Test
    void missingModelFileIsNamed() throws IOException {
        Path p = write("c.yaml", "experts:\n  - id: a\n    path: nowhere.gguf\n");
        assertThatThrownBy(() -> ConfigLoader.load(p)).hasMessageContaining("experts[0] ('a').path: file not found")
                .hasMessageContaining("nowhere.gguf");
    }

    @Test
    void missingConfigFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml")))
                .isInstanceOf(ChorusException.class).hasMessageContaining("config file not found");
    }

    @Test
    void duplicateExpertIdIsRejected() throws IOException {
        write("a.gguf", "x");
        Path p = write("c.yaml", "experts:\n  - id: a\n    path: a.gguf\n  - id: a\n    path: a.gguf\n");
        assertThatThrownBy(() -> ConfigLoader.load(p)).hasMessageContaining("expert id 'a' is used twice");
    }

    @Test
    void categoryWithoutOrWithUnknownExpertIsRejected() throws IOException {
        write("a.gguf", "x");
        Path none = write("c.yaml", "experts:\n  - id: a\n    path: a.gguf\ncategories:\n  - name: math\n");
        assertThatThrownBy(() -> ConfigLoader.load(none)).hasMessageContaining("'math' is mapped to no expert");
        Path unknown = write("d.yaml",
                "experts:\n  - id: a\n    path: a.gguf\ncategories:\n  - name: math\n    expert: zed\n");
        assertThatThrownBy(() -> ConfigLoader.load(unknown)).hasMessageContaining("unknown expert 'zed'");
        Path fallback = write("e.yaml", "experts:\n  - id: a\n    path: a.gguf\nfallback: zed\n");
        assertThatThrownBy(() -> ConfigLoader.load(fallback)).hasMessageContaining("fallback: unknown expert 'zed'");
    }

    @Test
    void badSizesAndLimitsAreRejected() throws IOException {
        write("a.gguf", "x");
        Path size = write("c.yaml", "experts:\n  - id: a\n    path: a.gguf\nmemory:\n  hot_memory: 4 gigs\n");
        assertThatThrownBy(() -> ConfigLoader.load(size)).hasMessageContaining("memory.hot_memory")
                .hasMessageContaining("bad size '4 gigs'");
        Path limit = write("d.yaml", "experts:\n  - id: a\n    path: a.gguf\nlimits:\n  max_queue: 0\n");
        assertThatThrownBy(() -> ConfigLoader.load(limit)).hasMessageContaining("limits.max_queue must be at least 1");
        Path port = write("e.yaml", "experts:\n  - id: a\n    path: a.gguf\nserver:\n  port: 70000\n");
        assertThatThrownBy(() -> ConfigLoader.load(port)).hasMessageContaining("server.port");
    }

    @Test
    void expertNeedsExactlyOneSourceAndRemoteNeedsAModel() throws IOException {
        Path neither = write("c.yaml", "experts:\n  - id: a\n");
        assertThatThrownBy(() -> ConfigLoader.load(neither)).hasMessageContaining("needs 'path'");
        Path noModel = write("d.yaml", "experts:\n  - id: r\n    base_url: http://x:1/v1\n");
        assertThatThrownBy(() -> ConfigLoader.load(noModel)).hasMessageContaining("model is missing");
        Path reserved = write("e.yaml", "experts:\n  - id: chorus\n    base_url: http://x:1/v1\n    model: m\n");
        assertThatThrownBy(() -> ConfigLoader.load(reserved)).hasMessageContaining("reserved");
        Path empty = write("f.yaml", "");
        assertThatThrownBy(() -> ConfigLoader.load(empty)).isInstanceOf(ChorusException.class);
    }

    @Test
    void categoryAlternatesAndRemoteTimeoutsAreValidated() throws IOException {
        write("a.gguf", "x");
        String experts = "experts:\n  - id: a\n    path: a.gguf\n  - id: r\n    base_url: http://x:1/v1\n    model: m\n"
                + "    connect_timeout: 2s\n    read_timeout: 1.5m\n";
        ChorusConfig ok = ConfigLoader.load(write("ok.yaml", experts
                + "categories:\n  - name: math\n    expert: r\n    alternates: [a]\n"));
        assertThat(ok.categories().getFirst().ranked()).containsExactly("r", "a");
        ExpertConfig remote = ok.experts().get(1);
        assertThat(remote.connectTimeoutOrDefault()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(remote.readTimeoutOrDefault()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(ok.experts().getFirst().readTimeoutOrDefault()).isEqualTo(ExpertConfig.DEFAULT_READ_TIMEOUT);

        Path unknown = write("u.yaml", experts + "categories:\n  - name: math\n    expert: r\n    alternates: [zed]\n");
        assertThatThrownBy(() -> ConfigLoader.load(unknown)).hasMessageContaining("categories[0].alternates: unknown"
                + " expert 'zed'");
        Path twice = write("t.yaml", experts + "categories:\n  - name: math\n    expert: r\n    alternates: [a, r]\n");
        assertThatThrownBy(() -> ConfigLoader.load(twice)).hasMessageContaining("expert 'r' is listed twice");
        Path badTimeout = write("b.yaml", "experts:\n  - id: r\n    base_url: http://x:1/v1\n    model: m\n"
                + "    read_timeout: forever\n");
        assertThatThrownBy(() -> ConfigLoader.load(badTimeout)).hasMessageContaining("experts[0] ('r').read_timeout:"
                + " invalid duration 'forever'");
        Path localTimeout = write("l.yaml", "experts:\n  - id: a\n    path: a.gguf\n    read_timeout: 5s\n");
        assertThatThrownBy(() -> ConfigLoader.load(localTimeout)).hasMessageContaining("apply only to remote experts");
    }

    @Test
    void sequenceSettingsAreValidated() throws IOException {
        write("a.gguf", "x");
        String expert = "experts:\n  - id: a\n    path: a.gguf\n";
        ChorusConfig ok = ConfigLoader.load(write("ok.yaml", "server:\n  context_length: 1024\n  kv_cache: F16\n"
                + expert));
        assertThat(ok.serverOrDefault().contextLengthOrDefault()).isEqualTo(1024);
        assertThat(ok.serverOrDefault().kvCacheOrDefault()).isEqualTo(dev.chorus.model.KvType.F16);
        ChorusConfig defaults = ConfigLoader.load(write("d.yaml", expert));
        assertThat(defaults.serverOrDefault().contextLengthOrDefault()).isEqualTo(4096);
        assertThat(defaults.serverOrDefault().kvCacheOrDefault()).isEqualTo(dev.chorus.model.KvType.F32);
        Path negative = write("n.yaml", "server:\n  context_length: -1\n" + expert);
        assertThatThrownBy(() -> ConfigLoader.load(negative)).hasMessageContaining("server.context_length must be 0");
        Path badKv = write("k.yaml", "server:\n  kv_cache: q8\n" + expert);
        assertThatThrownBy(() -> ConfigLoader.load(badKv)).hasMessageContaining("server.kv_cache must be f32 or f16, not"
                + " 'q8'");
    }

    @Test
    void byteSizesParse() {
        assertThat(ByteSize.parse("4g").bytes()).isEqualTo(4L << 30);
        assertThat(ByteSize.parse("4GiB").bytes()).isEqualTo(4L << 30);
        assertThat(ByteSize.parse("64k").bytes()).isEqualTo(65536);
        assertThat(ByteSize.parse(1000).bytes()).isEqualTo(1000);
        assertThat(ByteSize.parse("2048").toString()).isEqualTo("2k");
        assertThatThrownBy(() -> ByteSize.parse("-1g")).isInstanceOf(IllegalArgumentException.class);
    }
}
