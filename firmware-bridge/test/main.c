#include "tests.h"

int main(void)
{
    int failed = 0;
    failed += run_frame_tests();
    failed += run_link_tests();
    failed += run_scanner_tests();
    failed += run_io_tests();
    failed += run_bridge_tests();
    return failed ? 1 : 0;
}
