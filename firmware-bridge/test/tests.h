#ifndef TESTS_H
#define TESTS_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
int run_frame_tests(void);
int run_link_tests(void);
int run_scanner_tests(void);
int run_io_tests(void);
int run_bridge_tests(void);
#endif
