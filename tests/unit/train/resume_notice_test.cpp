// The line rank 0 prints when a checkpoint resumes on another number of processes: which ranks
// continue their streams and which start afresh or end, named as a reader would say them.
#include <catch2/catch.hpp>
#include <string>
#include <typenet/typenet.hpp>

namespace {

bool says(const std::string& notice, const std::string& part) {
  return notice.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("A resume notice names two ranks with 'and', more with 'to', one alone", "[checkpoint]") {
  using typenet::detail::resume_notice;
  CHECK(resume_notice(2, 2).empty());

  const std::string grow = resume_notice(2, 4);
  CHECK(says(grow, "resuming a checkpoint of 2 processes on 4"));
  CHECK(says(grow,
             "ranks 0 and 1 continue their Dropout and augmentation streams, ranks 2 and 3 "
             "start from the seed"));

  const std::string shrink = resume_notice(5, 2);
  CHECK(says(shrink,
             "ranks 0 and 1 continue their Dropout and augmentation streams, those of "
             "ranks 2 to 4 end"));

  const std::string to_one = resume_notice(3, 1);
  CHECK(says(to_one,
             "rank 0 continues its Dropout and augmentation streams, those of ranks 1 "
             "and 2 end"));

  const std::string from_one = resume_notice(1, 2);
  CHECK(says(from_one, "and rank 1 start from the seed"));
  CHECK(says(resume_notice(1, 5), "and ranks 1 to 4 start from the seed"));
  CHECK(says(resume_notice(3, 4),
             "ranks 0 to 2 continue their Dropout and augmentation streams, "
             "rank 3 starts from the seed"));
}
