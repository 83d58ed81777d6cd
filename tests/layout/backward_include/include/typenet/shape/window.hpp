// A fixture: shape/ must not include spec/, which comes after it.
#pragma once
#include "typenet/spec/bind.hpp"
