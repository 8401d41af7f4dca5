package dev.fashiontrainer.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads the images a model is asked to classify: an IDX images file (gzipped or plain, optionally with its labels
 * file) or a directory of 28x28 grayscale PNGs, light object on a dark background like Fashion-MNIST's own.
 */
public final class InputImages {
    private static final int SIDE = 28;

    private InputImages() {
    }

    /**
     * @param images an IDX images file or a directory of {@code .png} files (any Hadoop location)
     * @param labels the IDX labels file belonging to an IDX {@code images} file, or null
     * @param hadoop Hadoop configuration for the file system
     * @return the images in file order (PNGs sorted by name)
     * @throws DataException naming the file when anything is missing or not a 28x28 image
     */
    public static List<InputImage> read(Path images, Path labels, Configuration hadoop) {
        boolean directory;
        try {
            directory = images.getFileSystem(hadoop).getFileStatus(images).isDirectory();
        } catch (IOException e) {
            throw new DataException(images + ": file not found (expected an IDX images file or a directory of"
                    + " PNGs)", e);
        }
        if (directory && labels != null) {
            throw new DataException(labels + ": labels go with an IDX images file, but " + images
                    + " is a directory; drop --labels");
        }
        if (directory) {
            return readPngs(images, hadoop);
        }
        if (labels != null) {
            return of(FashionMnist.readPair(images, labels, hadoop), images.getName());
        }
        return readIdx(images, hadoop);
    }

    /**
     * @param images labelled images, such as the test set
     * @param source the name to give them as their source
     * @return every image with its label
     */
    public static List<InputImage> of(LabeledImages images, String source) {
        List<InputImage> list = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            list.add(new InputImage(source, i, images.label(i), images.imageBytes(i)));
        }
        return list;
    }

    private static List<InputImage> readIdx(Path path, Configuration hadoop) {
        IdxFile file = IdxFile.read(path, hadoop, IdxFile.IMAGES_MAGIC);
        int[] shape = file.dimensions();
        if (shape[1] != SIDE || shape[2] != SIDE) {
            throw new DataException(path + ": expected 28x28 images, found " + shape[1] + "x" + shape[2]);
        }
        byte[] payload = file.payload();
        List<InputImage> list = new ArrayList<>(shape[0]);
        for (int i = 0; i < shape[0]; i++) {
            byte[] pixels = Arrays.copyOfRange(payload, i * LabeledImages.PIXELS, (i + 1) * LabeledImages.PIXELS);
            list.add(new InputImage(path.getName(), i, InputImage.UNKNOWN, pixels));
        }
        return list;
    }

    private static List<InputImage> readPngs(Path directory, Configuration hadoop) {
        FileStatus[] files;
        FileSystem fs;
        try {
            fs = directory.getFileSystem(hadoop);
            files = fs.listStatus(directory, path -> path.getName().toLowerCase().endsWith(".png"));
        } catch (IOException e) {
            throw new DataException(directory + ": cannot be listed: " + e.getMessage(), e);
        }
        if (files.length == 0) {
            throw new DataException(directory + ": expected .png files in the directory, found none");
        }
        Arrays.sort(files, Comparator.comparing(status -> status.getPath().getName()));
        List<InputImage> list = new ArrayList<>(files.length);
        for (FileStatus file : files) {
            list.add(new InputImage(file.getPath().getName(), list.size(), InputImage.UNKNOWN,
                    grayPixels(file.getPath(), fs)));
        }
        return list;
    }

    /**
     * Decodes one PNG after its header said it is 28x28: a small compressed file can declare 40000x40000 pixels,
     * which decoding would allocate in full.
     */
    private static byte[] grayPixels(Path path, FileSystem fs) {
        BufferedImage image;
        try (InputStream in = fs.open(path); ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new DataException(path + ": expected a PNG image, found bytes no image reader understands");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width != SIDE || height != SIDE) {
                    throw new DataException(path + ": expected a 28x28 image, found " + width + "x" + height);
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new DataException(path + ": cannot be read: " + e.getMessage(), e);
        }
        BufferedImage gray = image;
        if (image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            // Colour or palette PNGs: let Java2D convert them to luminance rather than guessing channels.
            gray = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
            gray.getGraphics().drawImage(image, 0, 0, null);
        }
        byte[] pixels = new byte[LabeledImages.PIXELS];
        gray.getRaster().getDataElements(0, 0, SIDE, SIDE, pixels);
        return pixels;
    }
}
