package dev.memtrack.internal.message;

import static dev.memtrack.internal.message.Sites.allocator;
import static dev.memtrack.internal.message.Sites.java;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Frame;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StackTrimmerTests {

    private final StackTrimmer trimmer = new StackTrimmer(Set.of("com.acme.FooTest"));

    @Test
    void keepsFramesDownToTheDeepestFrameOfTheTestClass() {
        List<Frame> frames = Sites.concat(List.of(
                allocator("malloc"),
                java("com.acme.Store.open", "Store.java", 10),
                java("com.acme.FooTest.helper", "FooTest.java", 40),
                java("com.acme.FooTest.bar", "FooTest.java", 27)), Sites.JUNIT_FRAMES);

        assertThat(trimmer.trim(frames)).hasSize(4).last().isEqualTo(java("com.acme.FooTest.bar", "FooTest.java", 27));
    }

    @Test
    void countsNestedAnonymousAndLambdaClassesAsTheTestClass() {
        Frame lambdaBody = java("com.acme.FooTest.lambda$bar$0", "FooTest.java", 30);
        Frame anonymous = java("com.acme.FooTest$1.run", "FooTest.java", 31);
        Frame hiddenLambda = java("com.acme.FooTest$$Lambda$14/0x0000000800c0b000.run", "", 0);
        Frame other = java("com.acme.FooTestSupport.run", "FooTestSupport.java", 3);

        assertThat(trimmer.trim(List.of(lambdaBody, other))).containsExactly(lambdaBody);
        assertThat(trimmer.trim(List.of(anonymous, other))).containsExactly(anonymous);
        assertThat(trimmer.trim(List.of(lambdaBody, hiddenLambda, other))).containsExactly(lambdaBody, hiddenLambda);
    }

    @Test
    void keepsEverythingWhenNoFrameIsTheTestClass() {
        List<Frame> frames = Sites.concat(List.of(allocator("malloc")), Sites.JUNIT_FRAMES);

        assertThat(trimmer.trim(frames)).isEqualTo(frames);
        assertThat(StackTrimmer.none().trim(frames)).isEqualTo(frames);
    }

    @Test
    void ignoresNativeFramesThatLookLikeTheTestClass() {
        Frame nativeNamed = new Frame(Frame.Kind.NATIVE, "com.acme.FooTest.x", "libx.so", "", 0);

        assertThat(trimmer.trim(List.of(nativeNamed, java("a.B.c", "B.java", 1)))).hasSize(2);
    }
}
