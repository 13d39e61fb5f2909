# mistake: uses / instead of //, so the sizes are floats and a stride that does not divide gives a fraction
def conv_output_shape(input_size, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    to2 = lambda v: (v, v) if isinstance(v, int) else v
    h, w = to2(input_size)
    kh, kw = to2(kernel_size)
    sh, sw = to2(stride)
    ph, pw = to2(padding)
    if kh > h + 2 * ph or kw > w + 2 * pw:
        raise ValueError("kernel does not fit into the padded input")
    return ((h + 2 * ph - kh) / sh + 1, (w + 2 * pw - kw) / sw + 1)
