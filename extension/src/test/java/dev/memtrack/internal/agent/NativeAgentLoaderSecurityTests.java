package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native agent is loaded only from a file no other local user could have written or
 * replaced: a fresh owner-only directory, a file created exclusively under its content hash,
 * the content verified before loading.
 */
class NativeAgentLoaderSecurityTests {

    private static final byte[] AGENT = "\u007fELF pretend agent 4242".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path tmp;

    @Test
    void extractsIntoAFreshOwnerOnlyDirectoryUnderTheContentHash() throws Exception {
        Path file = NativeAgentLoader.extract(AGENT, tmp);

        assertThat(file.getParent().getParent()).isEqualTo(tmp);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent(), LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rwx------");
        assertThat(file.getFileName().toString()).isEqualTo("libmemtrack-" + NativeAgentLoader.sha256(AGENT).substring(0, 16) + ".so");
        assertThat(file).hasBinaryContent(AGENT);
        assertThat(NativeAgentLoader.extract(AGENT, tmp).getParent()).as("each extraction has its own directory")
                .isNotEqualTo(file.getParent());
    }

    @Test
    void aSymlinkPlantedAtTheLibraryNameIsNeitherFollowedNorLoaded() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "someone else's file");
        Path dir = Files.createDirectory(tmp.resolve("agent"));
        String name = "libmemtrack-" + NativeAgentLoader.sha256(AGENT).substring(0, 16) + ".so";
        Files.createSymbolicLink(dir.resolve(name), victim);

        assertThatThrownBy(() -> NativeAgentLoader.writeVerified(dir, AGENT)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(victim).hasContent("someone else's file");
    }

    @Test
    void aDirectoryOthersCanWriteOrASymlinkedOneIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("private"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));

        assertThatThrownBy(() -> NativeAgentLoader.requirePrivate(shared))
                .hasMessageStartingWith("refusing to extract the native agent into " + shared + ": it must be a directory owned by ")
                .hasMessageEndingWith(" with mode rwx------ but is a directory owned by " + Files.getOwner(shared).getName()
                        + " with mode rwxrwxrwx");
        assertThatThrownBy(() -> NativeAgentLoader.requirePrivate(link)).hasMessageEndingWith("but is a symbolic link");
    }

    @Test
    void aFileWhoseContentDiffersFromItsHashIsNotLoaded() throws Exception {
        Path file = NativeAgentLoader.extract(AGENT, tmp);
        Files.writeString(file, "replaced");

        assertThatThrownBy(() -> NativeAgentLoader.verify(file, NativeAgentLoader.sha256(AGENT)))
                .hasMessage("refusing to load " + file + ": its SHA-256 is " + NativeAgentLoader.sha256("replaced".getBytes(StandardCharsets.UTF_8))
                        + " but the bundled agent's is " + NativeAgentLoader.sha256(AGENT) + " (the file changed after it was written)");
    }
}
