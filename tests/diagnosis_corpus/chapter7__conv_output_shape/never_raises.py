# mistake: never checks that the kernel fits, so an oversized kernel gives 0 or a negative size instead of ValueError
def conv_output_shape(input_size, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    def as_pair(a):
        if isinstance(a, (tuple, list)):
            return a[0], a[1]
        return a, a

    h, w = as_pair(input_size)
    kh, kw = as_pair(kernel_size)
    sh, sw = as_pair(stride)
    ph, pw = as_pair(padding)
    out_h = (h + 2 * ph - kh) // sh + 1
    out_w = (w + 2 * pw - kw) // sw + 1
    return out_h, out_w
