// libFuzzer harness of the image reader: any bytes as one image file, through decode_image (the
// whole of read_image but the file system: the format's magic, the netpbm parser, the size checks
// before decoding, stb_image's PNG, JPEG and BMP decoders). An accepted image must have 1 to 4
// channels (1 or 3 for PGM/PPM), sides in [1, max_image_side], at most max_image_pixels, exactly
// channels x height x width values, each finite and in [0, 1]; and it must convert to a grey and
// an RGB network input of finite values. A rejected one must be a DataError naming the file.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "invariants.hpp"
#include "typenet/data/image.hpp"

namespace data = typenet::data;
using typenet_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  data::Image image;
  try {
    image = data::decode_image({bytes, size}, "fuzz.img");
  } catch (const data::DataError& error) {
    require(std::strncmp(error.what(), "fuzz.img: ", 10) == 0, "the message names the file");
    return 0;
  }
  require(image.channels >= 1 && image.channels <= 4, "1 to 4 channels");
  if (size >= 2 && bytes[0] == 'P' && (bytes[1] == '5' || bytes[1] == '6'))
    require(image.channels == (bytes[1] == '5' ? 1u : 3u), "PGM is grey, PPM RGB");
  require(image.height >= 1 && image.height <= data::max_image_side, "the height");
  require(image.width >= 1 && image.width <= data::max_image_side, "the width");
  require(image.height * image.width <= data::max_image_pixels, "the pixel count");
  require(image.pixels.size() == image.size(), "channels x height x width values");
  for (float value : image.pixels)
    require(std::isfinite(value) && value >= 0 && value <= 1, "a value in [0, 1]");
  for (std::size_t channels : {1, 3}) {
    const auto input =
        data::to_input(image, channels, 7, 5,
                       {std::vector<float>(channels, 0.5f), std::vector<float>(channels, 0.25f)});
    require(input.channels == channels && input.height == 7 && input.width == 5 &&
                input.pixels.size() == channels * 35,
            "to_input's shape");
    for (float value : input.pixels)
      require(std::isfinite(value) && value >= -2.001f && value <= 2.001f,
              "a normalised input value");
  }
  return 0;
}
