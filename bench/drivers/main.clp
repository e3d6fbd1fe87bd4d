;; main.clp — the CLIPS side of the benchmark loop, loaded after the generated kader.clp.
;; (kader-bench INPUT OUTPUT MODE BUDGET): INPUT holds one system per line, the text of its `sys`
;; fact (bench/drivers/clips.js input writes it). For each system: reset, assert it, run the rules.
;; MODE check writes the answers to OUTPUT (emit-answers, in kader.clp); MODE time writes nothing
;; and sums the time spent in reset, assert and run, as CLIPS's (time) gives it: the process's CPU
;; time. With BUDGET > 0 the time mode stops once that many seconds are spent and at least 1000
;; systems are done. Either way one JSON line goes to stdout.

(deffunction kader-bench (?input ?output ?mode ?budget)
  (if (not (open ?input kader-in "r")) then
    (printout t "clips: cannot read " ?input crlf)
    (exit 2))
  (if (eq ?mode check) then
    (if (not (open ?output kader-out "w")) then
      (printout t "clips: cannot write " ?output crlf)
      (exit 2)))
  (bind ?n 0)
  (bind ?spent 0.0)
  (bind ?line (readline kader-in))
  (while (neq ?line EOF)
    (bind ?t0 (time))
    (reset)
    (assert-string ?line)
    (run)
    (bind ?spent (+ ?spent (- (time) ?t0)))
    (if (eq ?mode check) then (emit-answers kader-out))
    (bind ?n (+ ?n 1))
    (if (and (eq ?mode time) (> ?budget 0) (>= ?n 1000) (> ?spent ?budget)) then
      (bind ?line EOF)
     else
      (bind ?line (readline kader-in))))
  (close kader-in)
  (if (eq ?mode check) then (close kader-out))
  (printout t "{\"engine\":\"clips\",\"evaluations\":" ?n ",\"cpu_seconds\":" ?spent
              ",\"per_cpu_second\":" (if (> ?spent 0) then (/ ?n ?spent) else 0) "}" crlf))
