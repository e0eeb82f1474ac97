;; The resampler's inner loop (resampler.ts) in WebAssembly with 128-bit SIMD: four taps per
;; multiply-add, where JavaScript does one; and the conversion of its output to PCM16. On the
;; audio thread this is most of the capture pipeline's own work, so it is the part written for
;; the machine.
;;
;; scripts/build-wasm.ts assembles this file into fir-wasm.ts (the bytes, which the AudioWorklet
;; can load without fetching anything); a unit test checks that the two agree.
(module
  (memory (export "memory") 1)

  ;; Writes `count` output samples (f32) from `out` on. Output n is the dot product of `taps`
  ;; history samples, from `history` on, with the kernel row of its phase, from
  ;; `table` + phase × taps on. After each output the phase advances by `down`; every `up` of
  ;; it moves the history window one sample on. Addresses are in bytes; `taps` is a multiple
  ;; of 4 and at least 4 (resampler.ts pads the kernel rows with zeros).
  (func (export "fir")
    (param $history i32) (param $table i32) (param $taps i32) (param $out i32)
    (param $count i32) (param $phase i32) (param $up i32) (param $down i32)
    (local $end i32) (local $rowBytes i32) (local $h i32) (local $k i32) (local $left i32)
    (local $acc v128)
    (local.set $rowBytes (i32.shl (local.get $taps) (i32.const 2)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $outputs
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $h (local.get $history))
        (local.set $k (i32.add (local.get $table) (i32.mul (local.get $phase) (local.get $rowBytes))))
        (local.set $left (local.get $taps))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (loop $dot
          (local.set $acc
            (f32x4.add (local.get $acc)
              (f32x4.mul (v128.load (local.get $h)) (v128.load (local.get $k)))))
          (local.set $h (i32.add (local.get $h) (i32.const 16)))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $dot (local.tee $left (i32.sub (local.get $left) (i32.const 4)))))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        ;; The next output's time: `down` more steps of 1/up input sample.
        (local.set $phase (i32.add (local.get $phase) (local.get $down)))
        (block $stepped
          (loop $step
            (br_if $stepped (i32.lt_u (local.get $phase) (local.get $up)))
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $history (i32.add (local.get $history) (i32.const 4)))
            (br $step)))
        (br $outputs))))

  ;; PCM16 from `count` f32 samples at `src` to `dst`, exactly as pcm.ts's floatToPcm16 (clamp
  ;; to [-1, 1]; × 32768 below zero, × 32767 above; round half up; NaN → 0), two at a time in
  ;; f64, as JavaScript computes. An odd count reads one sample and writes one past the end.
  (func (export "pcm16") (param $src i32) (param $dst i32) (param $count i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $x
          (f64x2.max (v128.const f64x2 -1 -1)
            (f64x2.min (v128.const f64x2 1 1)
              (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $src))))))
        (local.set $x
          (f64x2.mul (local.get $x)
            (v128.bitselect (v128.const f64x2 32768 32768) (v128.const f64x2 32767 32767)
              (f64x2.lt (local.get $x) (v128.const f64x2 0 0)))))
        (local.set $x
          (i32x4.trunc_sat_f64x2_s_zero
            (f64x2.floor (f64x2.add (local.get $x) (v128.const f64x2 0.5 0.5)))))
        (v128.store32_lane 0 (local.get $dst) (i16x8.narrow_i32x4_s (local.get $x) (local.get $x)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $pairs)))))
