/* demo_trainings.c - placeholder, filled in below. */
#include "core/demo_int.h"
