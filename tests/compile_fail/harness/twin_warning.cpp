// Harness self-test: a positive twin that compiles with a warning in the user's own code must be
// rejected, also when it reads typenet.hpp precompiled.
#include <typenet/typenet.hpp>
int main() {
  int unused_variable;
  return 0;
}
