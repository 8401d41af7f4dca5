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
 * file) or a directory of grayscale PNGs, light object on a dark background like Fashion-MNIST's own, of the size
 * the model takes (28x28 for Fashion-MNIST's).
 */
public final class InputImages {
    private InputImages() {
    }

    /**
     * @param images an IDX images file or a directory of {@code .png} files (any Hadoop location)
     * @param labels the IDX labels file belonging to an IDX {@code images} file, or null
     * @param hadoop Hadoop configuration for the file system
     * @param width the pixels per image the model takes (square for PNGs)
     * @return the images in file order (PNGs sorted by name)
     * @throws DataException naming the file when anything is missing or not an image of {@code width} pixels
     */
    public static List<InputImage> read(Path images, Path labels, Configuration hadoop, int width) {
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
            return readPngs(images, hadoop, sideOf(width, images));
        }
        List<InputImage> read = labels != null ? of(FashionMnist.readPair(images, labels, hadoop), images.getName())
                : readIdx(images, hadoop);
        if (!read.isEmpty() && read.get(0).pixels().length != width) {
            throw new DataException(images + ": expected images of " + width + " pixels (the model's input width),"
                    + " found " + read.get(0).pixels().length);
        }
        return read;
    }

    /** @return the side of the square images of {@code width} pixels */
    private static int sideOf(int width, Path images) {
        int side = (int) Math.round(Math.sqrt(width));
        if (side * side != width) {
            throw new DataException(images + ": the model takes " + width + " features, not square images; pass"
                    + " its data with --data instead of PNGs");
        }
        return side;
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
        int width = shape[1] * shape[2];
        byte[] payload = file.payload();
        List<InputImage> list = new ArrayList<>(shape[0]);
        for (int i = 0; i < shape[0]; i++) {
            byte[] pixels = Arrays.copyOfRange(payload, i * width, (i + 1) * width);
            list.add(new InputImage(path.getName(), i, InputImage.UNKNOWN, pixels));
        }
        return list;
    }

    private static List<InputImage> readPngs(Path directory, Configuration hadoop, int side) {
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
            try (InputStream in = fs.open(file.getPath())) {
                list.add(new InputImage(file.getPath().getName(), list.size(), InputImage.UNKNOWN,
                        grayPixels(in, file.getPath().toString(), side)));
            } catch (IOException e) {
                throw new DataException(file.getPath() + ": cannot be read: " + e.getMessage(), e);
            }
        }
        return list;
    }

    /**
     * Decodes one PNG after its header said it is {@code side x side}: a small compressed file can declare
     * 40000x40000 pixels, which decoding would allocate in full.
     *
     * @param in the image's bytes
     * @param path where they come from, for messages
     * @param side the width and height expected
     * @return its pixels as 8-bit gray values, row by row (colour converted to luminance)
     * @throws DataException naming {@code path} when the bytes are no image of that size
     */
    public static byte[] grayPixels(InputStream in, String path, int side) {
        BufferedImage image;
        try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new DataException(path + ": expected a PNG image, found bytes no image reader understands");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width != side || height != side) {
                    throw new DataException(path + ": expected a " + side + "x" + side + " image, found " + width
                            + "x" + height);
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
            gray = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
            gray.getGraphics().drawImage(image, 0, 0, null);
        }
        byte[] pixels = new byte[side * side];
        gray.getRaster().getDataElements(0, 0, side, side, pixels);
        return pixels;
    }
}
