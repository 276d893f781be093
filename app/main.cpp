#include "cli.hpp"

// Everything testable lives in xuictl_cli; main only binds the real world.
int main(int argc, char** argv) { return xuictl::run_real(argc, argv); }
