// Sanitizer build only: Open MPI unloads its components (dlclose) in MPI_Finalize, and
// LeakSanitizer, which looks at the end of the process, can then neither name their frames nor
// match them to tests/mpi/lsan.supp. This definition takes the place of the C library's for the
// whole process, so that every library stays loaded to the end.
extern "C" int dlclose(void*) { return 0; }
