# diagnosis: conv_output_shape.one_side_padding
def conv_output_shape(input_size, kernel_size, stride=1, padding=0):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    (h, w), (kh, kw), (sh, sw), (ph, pw) = map(pair, (input_size, kernel_size, stride, padding))
    if kh > h + ph or kw > w + pw:
        raise ValueError("kernel too large")
    return ((h + ph - kh) // sh + 1, (w + pw - kw) // sw + 1)
