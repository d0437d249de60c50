/*
 * auxv — argc, argv, envp and the auxiliary vector of a static program
 * (ET_EXEC, loaded at its link address).  The checks: auxv_check.h.
 */
#include "auxv_check.h"
