#!/usr/bin/env python3
"""Writes the seed corpora of corpus/<reader>/ (run from anywhere; they are checked in).

IDX seeds come from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist): the real
headers with their first images or labels (cut short, as the header promises 60,000), the same
with the counts rewritten to what follows (valid files), and the first bytes of the gzip files
(a gzip stream cut short). CIFAR and CSV seeds are synthetic; each starts with the harness's
argument bytes (see cifar_fuzz.cpp and csv_fuzz.cpp)."""
import gzip
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))
fashion = "/usr/share/datasets/fashion-mnist"


def write(reader, name, data):
    folder = os.path.join(here, "corpus", reader)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


for stem, count, item in [("train-images-idx3-ubyte", 2, 784), ("t10k-images-idx3-ubyte", 3, 784),
                          ("train-labels-idx1-ubyte", 20, 1), ("t10k-labels-idx1-ubyte", 20, 1)]:
    path = os.path.join(fashion, stem + ".gz")
    with gzip.open(path, "rb") as f:
        header_size = 16 if "images" in stem else 8
        head = f.read(header_size + count * item)
    short = stem.replace("-ubyte", "")
    write("idx", short + "-cut", head)  # the real header: 60,000 or 10,000 promised
    fixed = head[:4] + struct.pack(">I", count) + head[8:]
    write("idx", short + "-%d" % count, fixed)  # a valid file
    write("idx", short + "-%d.gz" % count, gzip.compress(fixed, mtime=0))
    with open(path, "rb") as f:
        write("idx", short + "-gzip-cut", f.read(200))
write("idx", "rank4", bytes([0, 0, 8, 4]) + struct.pack(">IIII", 1, 2, 1, 2) + bytes(range(4)))

record10 = bytes([3]) + bytes((i * 7) % 256 for i in range(3072))
record100 = bytes([4, 42]) + bytes((i * 13) % 256 for i in range(3072))
write("cifar", "cifar10-two-records", bytes([10, 1, 1]) + record10 + record10)
write("cifar", "cifar100-two-files", bytes([100, 2, 2]) + record100 + record100)
write("cifar", "cifar10-cut", bytes([10, 1, 1]) + record10 + record10[:100])
write("cifar", "label-too-large", bytes([3, 1, 1]) + record10)

csv = {
    "header": "a,b,label\n1.5,2,0\n3,4.25,2\n",
    "no-header": "1,2,0\n3,4,1\n",
    "bom-crlf": "\ufeffx,y,class\r\n1,2,0\r\n\r\n3,4,1\r\n",
    "numbers": " 1e-400 ,-0,+7\n1e38,-3.4e38,99999\n.5,5.,1E3\n",
    "bad-values": "nan,inf,1\n1e400,-1e39,0\n",
    "bad-labels": "1,2,1e10\n1,2,2147483647\n1,2,-1\n1,2,1.5\n",
    "damaged": "1,,0\n1,\u0000,0\n1,2\n1,2,3,4\n",
    "quoted": '"a","b","c"\n"1",2,0\n',
}
for index, (name, text) in enumerate(csv.items()):
    # header option automatic/present/absent by turns, the label column 2 (6 = 2 * 3).
    write("csv", name, bytes([6 + index % 3]) + text.encode("utf-8"))
write("csv", "label-first", bytes([0]) + b"label,a\n0,1\n1,2\n")

# Image files (read_image_fuzz.cpp): a real Fashion-MNIST test image (and a small colour crop of
# the same pixels) in every flavour read_image takes, written by PIL (Debian's python3-pil),
# each small enough (under 1.5 kB) for the fuzzer to mutate: PNG grey, grey + alpha, RGB, RGBA,
# palette, 16-bit, interlaced; JPEG baseline, progressive, grey; BMP 24-bit, 8-bit palette, 1-bit;
# PGM and PPM with maxval 255 and 65535. Only this part needs PIL.
try:
    import io
    from PIL import Image
except ImportError:
    Image = None
if Image is not None:
    with gzip.open(os.path.join(fashion, "t10k-images-idx3-ubyte.gz"), "rb") as f:
        pixels = f.read(16 + 784)[16:]
    grey = Image.frombytes("L", (28, 28), pixels).crop((6, 6, 22, 22))  # 16 x 16
    rgb = Image.merge("RGB", (grey, grey.transpose(Image.FLIP_LEFT_RIGHT),
                              grey.transpose(Image.FLIP_TOP_BOTTOM))).crop((0, 0, 12, 10))

    def image_bytes(im, fmt, **options):
        out = io.BytesIO()
        im.save(out, fmt, **options)
        return out.getvalue()

    seeds = {
        "grey.png": image_bytes(grey, "PNG"),
        "grey-alpha.png": image_bytes(Image.merge("LA", (grey, grey)), "PNG"),
        "rgb.png": image_bytes(rgb, "PNG"),
        "rgba.png": image_bytes(rgb.convert("RGBA"), "PNG"),
        "palette.png": image_bytes(rgb.convert("P", palette=Image.ADAPTIVE, colors=16), "PNG"),
        "grey16.png": image_bytes(grey.point(lambda v: v * 257, "I"), "PNG"),
        "interlaced.png": image_bytes(rgb, "PNG", interlace=1),
        "grey.jpg": image_bytes(grey, "JPEG", quality=90),
        "rgb.jpg": image_bytes(rgb, "JPEG", quality=90),
        "progressive.jpg": image_bytes(rgb, "JPEG", quality=75, progressive=True),
        "rgb.bmp": image_bytes(rgb, "BMP"),
        "palette.bmp": image_bytes(grey, "BMP"),
        "bits.bmp": image_bytes(grey.convert("1"), "BMP"),
        "grey.pgm": image_bytes(grey, "PPM"),
        "rgb.ppm": image_bytes(rgb, "PPM"),
    }
    # 16-bit netpbm (PIL writes 8 bits): by hand, big-endian samples.
    seeds["grey16.pgm"] = b"P5\n# sixteen bits\n16 16\n65535\n" + b"".join(
        struct.pack(">H", v * 257) for v in grey.tobytes())
    seeds["rgb16.ppm"] = b"P6 4 2 1000\n" + b"".join(struct.pack(">H", v * 3) for v in range(24))
    for name, data in seeds.items():
        assert len(data) < 1536, (name, len(data))
        write("read_image", name, data)
