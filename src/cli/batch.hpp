#pragma once
// The batch options as the commands see them; the batch layer itself lives in src/batch/.

#include "batch/batch.hpp"
