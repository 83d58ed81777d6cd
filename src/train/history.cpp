// The history's CSV file, written atomically.
#include "typenet/train/history.hpp"

#include <iomanip>
#include <locale>
#include <sstream>

#include "typenet/io/atomic_file.hpp"

namespace typenet {

void History::write_csv(const std::filesystem::path& path) const {
  std::ostringstream out;
  out.imbue(std::locale::classic());  // a '.' decimal point whatever the global locale says
  out << "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,"
         "seconds,images_per_second\n";
  out << std::setprecision(9);
  for (const auto& r : epochs)
    out << r.epoch << ',' << r.train_loss << ',' << r.train_accuracy << ',' << r.validation_loss
        << ',' << r.validation_accuracy << ',' << r.learning_rate << ',' << r.seconds << ','
        << r.images_per_second << '\n';
  io::write_atomically(path, out.str());
}

}  // namespace typenet
