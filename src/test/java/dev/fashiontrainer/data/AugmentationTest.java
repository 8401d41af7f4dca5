package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** What {@link LabeledImages#fill} makes of the stored bytes when the images are {@link LabeledImages#augmented}. */
class AugmentationTest {
    private static final int SIDE = LabeledImages.SIDE;
    private static final int COUNT = 200;

    /** One image, repeated: every pixel a distinct non-zero value, so any move of it is recognizable. */
    private static LabeledImages repeated() {
        byte[] pixels = new byte[COUNT * LabeledImages.PIXELS];
        byte[] labels = new byte[COUNT];
        for (int i = 0; i < COUNT; i++) {
            for (int p = 0; p < LabeledImages.PIXELS; p++) {
                pixels[i * LabeledImages.PIXELS + p] = (byte) (1 + p % 250);
            }
            labels[i] = 3;
        }
        return new LabeledImages(pixels, labels);
    }

    private static float[][] fill(LabeledImages images) {
        float[] features = new float[COUNT * LabeledImages.PIXELS];
        float[] oneHot = new float[COUNT * LabeledImages.CLASSES];
        images.fill(null, 0, COUNT, features, oneHot);
        return new float[][] {features, oneHot};
    }

    private static float original(int x, int y) {
        return (1 + (y * SIDE + x) % 250) / 255f;
    }

    /** @return the shift and mirroring that turn the original into image {@code k}, or null if none does */
    private static int[] moveOf(float[] features, int k, int maxShift) {
        for (int mirror = 0; mirror <= 1; mirror++) {
            for (int dx = -maxShift; dx <= maxShift; dx++) {
                for (int dy = -maxShift; dy <= maxShift; dy++) {
                    if (matches(features, k, dx, dy, mirror == 1)) {
                        return new int[] {dx, dy, mirror};
                    }
                }
            }
        }
        return null;
    }

    private static boolean matches(float[] features, int k, int dx, int dy, boolean mirror) {
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int sx = mirror ? SIDE - 1 - (x - dx) : x - dx;
                int sy = y - dy;
                float expected = sx < 0 || sx >= SIDE || sy < 0 || sy >= SIDE ? 0f : original(sx, sy);
                if (features[k * LabeledImages.PIXELS + y * SIDE + x] != expected) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void withoutAugmentationTheViewIsTheStoredSet() {
        LabeledImages images = repeated();
        assertSame(images, images.augmented(Augmentation.NONE, 7));
    }

    @Test
    void shiftsAndFlipsAreWithinRangeAllOccurAndFollowTheSeed() {
        LabeledImages images = repeated();
        Augmentation augmentation = new Augmentation(2, true, 0);
        float[] features = fill(images.augmented(augmentation, 7))[0];
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < COUNT; k++) {
            int[] move = moveOf(features, k, 2);
            assertNotNull(move, "image " + k + " is not a shift of at most 2 pixels, mirrored or not");
            seen.add(move[0] + "," + move[1] + "," + move[2]);
        }
        assertEquals(5 * 5 * 2, seen.size(), "every shift in [-2, 2] x [-2, 2], mirrored or not, occurs");

        assertArrayEquals(features, fill(images.augmented(augmentation, 7))[0], "the same seed, the same moves");
        assertFalse(java.util.Arrays.equals(features, fill(images.augmented(augmentation, 8))[0]),
                "another seed, other moves");
    }

    @Test
    void flipsAloneMirrorAboutHalfTheImages() {
        float[] features = fill(repeated().augmented(new Augmentation(0, true, 0), 1))[0];
        int mirrored = 0;
        for (int k = 0; k < COUNT; k++) {
            int[] move = moveOf(features, k, 0);
            assertNotNull(move);
            mirrored += move[2];
        }
        assertTrue(mirrored > COUNT / 3 && mirrored < 2 * COUNT / 3, mirrored + " of " + COUNT + " mirrored");
    }

    @Test
    void labelSmoothingMovesWeightFromTheTrueClassToAllClasses() {
        float[][] filled = fill(repeated().augmented(new Augmentation(0, false, 0.1), 1));
        float[] stored = fill(repeated())[0];
        assertArrayEquals(stored, filled[0], "the images are as stored");
        for (int c = 0; c < LabeledImages.CLASSES; c++) {
            assertEquals(c == 3 ? 0.91f : 0.01f, filled[1][5 * LabeledImages.CLASSES + c], 1e-6f);
        }
    }

    @Test
    void rangesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(28, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false, 1));
    }
}
