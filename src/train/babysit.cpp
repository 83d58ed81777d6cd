// The babysitting checks' reports and their sentences, compiled once.
#include "typenet/train/babysit.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

namespace typenet {

namespace {
std::string fixed(double v, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}
}  // namespace

namespace detail {

InitialLossReport initial_loss_report(double loss, std::size_t classes, std::size_t samples,
                                      double tolerance) {
  InitialLossReport r;
  r.loss = loss;
  r.classes = classes;
  r.samples = samples;
  r.tolerance = tolerance;
  r.expected = std::log(double(classes));
  r.ok = std::isfinite(loss) && std::abs(loss - r.expected) <= tolerance;
  const std::string measured =
      "check_initial_loss: the loss at initialisation is " +
      (std::isfinite(loss) ? fixed(loss, 3) : std::string("infinite")) + " nats on " +
      std::to_string(samples) + " samples; softmax cross-entropy over " + std::to_string(classes) +
      " outputs starts near ln(" + std::to_string(classes) + ") = " + fixed(r.expected, 3) +
      " (tolerance " + fixed(tolerance, 3) + ")";
  if (r.ok)
    r.message = measured + ": as expected";
  else if (!(loss < r.expected))
    r.message = measured + ": " +
                (std::isfinite(loss) ? fixed(loss - r.expected, 3) + " nats" : "infinitely") +
                " too high. The network starts confident and wrong: are the last layer's "
                "weights or biases too large (its initialiser's scale, a constant bias), or the "
                "inputs not normalised?";
  else
    r.message = measured + ": " + fixed(r.expected - loss, 3) +
                " nats too low. The network already predicts the labels: were trained weights "
                "loaded, or do the inputs leak the label?";
  return r;
}

OverfitReport overfit_report(bool reached, std::size_t samples, std::size_t epochs, double accuracy,
                             double first_loss, double last_loss) {
  OverfitReport r;
  r.reached = reached;
  r.samples = samples;
  r.epochs = epochs;
  r.accuracy = accuracy;
  r.first_loss = first_loss;
  r.last_loss = last_loss;
  const std::string what = "overfit_small_subset: " + std::to_string(samples) + " samples, ";
  if (reached)
    r.message = what + "100% training accuracy after " + std::to_string(epochs) +
                (epochs == 1 ? " epoch" : " epochs") + " (loss " + fixed(first_loss, 4) + " -> " +
                fixed(last_loss, 4) + ")";
  else
    r.message = what + "only " + fixed(100 * accuracy, 1) + "% training accuracy after " +
                std::to_string(epochs) + " epochs (loss " + fixed(first_loss, 4) + " -> " +
                fixed(last_loss, 4) +
                "). A network that cannot learn a few samples by heart has a bug: is the "
                "learning rate 0 or far too small, are the layers frozen, does the gradient "
                "reach them (a wrong loss, labels that do not match the images)?";
  return r;
}

void tell(const std::string& message, std::ostream* warnings, bool quiet) {
  if (quiet) return;
  // One insertion: std::cerr writes each piece at once, and another process's line (mpirun's
  // processes share one stderr) could fall between them.
  (warnings != nullptr ? *warnings : std::cerr) << (message + '\n') << std::flush;
}

}  // namespace detail

std::ostream& operator<<(std::ostream& out, const InitialLossReport& report) {
  return out << report.message;
}
std::ostream& operator<<(std::ostream& out, const OverfitReport& report) {
  return out << report.message;
}

}  // namespace typenet
