package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionerTest {

    /** Images whose first pixel byte encodes their index (mod 256) and second the index / 256: a fingerprint. */
    private static LabeledImages numbered(int count) {
        byte[] pixels = new byte[count * LabeledImages.PIXELS];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            pixels[i * LabeledImages.PIXELS] = (byte) i;
            pixels[i * LabeledImages.PIXELS + 1] = (byte) (i >> 8);
            labels[i] = (byte) (i % 10);
        }
        return new LabeledImages(pixels, labels);
    }

    private static int id(LabeledImages images, int i) {
        byte[] image = images.imageBytes(i);
        return (image[0] & 0xFF) | (image[1] & 0xFF) << 8;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1001})
    void everyExampleLandsInExactlyOneShard(int workers) {
        LabeledImages data = numbered(1001);
        List<TrainingShard> shards = Partitioner.split(data, workers, true, 42);

        assertEquals(workers, shards.size());
        Map<Integer, Integer> seen = new HashMap<>();
        for (TrainingShard shard : shards) {
            int size = shard.images().size();
            assertTrue(size == 1001 / workers || size == 1001 / workers + 1, "unbalanced shard of " + size);
            for (int i = 0; i < size; i++) {
                int id = id(shard.images(), i);
                assertEquals(id % 10, shard.images().label(i), "label travelled with its image");
                seen.merge(id, 1, Integer::sum);
            }
        }
        assertEquals(1001, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1));
    }

    @Test
    void theShuffleIsSeeded() {
        LabeledImages data = numbered(500);
        assertEquals(ids(Partitioner.split(data, 2, true, 7)), ids(Partitioner.split(data, 2, true, 7)));
        assertNotEquals(ids(Partitioner.split(data, 2, true, 7)), ids(Partitioner.split(data, 2, true, 8)));
        assertEquals(List.of(0, 1, 2), ids(Partitioner.split(data, 2, false, 7)).subList(0, 3));
    }

    private static List<Integer> ids(List<TrainingShard> shards) {
        List<Integer> ids = new ArrayList<>();
        for (TrainingShard shard : shards) {
            for (int i = 0; i < shard.images().size(); i++) {
                ids.add(id(shard.images(), i));
            }
        }
        return ids;
    }
}
