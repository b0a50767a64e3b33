# bash completion for sepconv: commands, each command's options (read from its --help, so they
# never go stale), bundled kernel names after -k/--kernel, and files elsewhere.
_sepconv() {
  local cur prev command word
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  local commands="apply edges compare analyze kernels depthwise cost bench"
  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case " $commands " in *" $word "*) command="$word"; break ;; esac
  done
  case "$prev" in
    -k|--kernel|--pointwise)
      COMPREPLY=($(compgen -W "$(sepconv kernels 2>/dev/null | awk 'NR > 1 {print $1}')" -- "$cur"))
      compopt -o default 2>/dev/null  # a kernel file
      return ;;
    --border)
      COMPREPLY=($(compgen -W "reflect101 reflect replicate constant wrap valid" -- "$cur")); return ;;
    --mode) COMPREPLY=($(compgen -W "auto full separable lowrank fft" -- "$cur")); return ;;
    --depth) COMPREPLY=($(compgen -W "same u8 u16 s16 f32" -- "$cur")); return ;;
    --map) COMPREPLY=($(compgen -W "auto clamp abs offset normalize" -- "$cur")); return ;;
    --stats) COMPREPLY=($(compgen -W "auto text json none" -- "$cur")); return ;;
    --scale) COMPREPLY=($(compgen -W "clamp strongest normalize" -- "$cur")); return ;;
    --operator) COMPREPLY=($(compgen -W "sobel scharr prewitt" -- "$cur")); return ;;
    -o|--output|--out-dir|--diff|--montage|--network)
      COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
  esac
  if [[ -z "$command" ]]; then
    if [[ "$cur" == -* ]]; then
      COMPREPLY=($(compgen -W "--help --version --quiet --threads --max-pixels --no-sync" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    fi
    return
  fi
  if [[ "$cur" == -* ]]; then
    local options
    options=$(sepconv "$command" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' |
              tr -d ' ,' | sort -u)
    COMPREPLY=($(compgen -W "$options --quiet --threads --max-pixels" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
  compopt -o filenames 2>/dev/null
}
complete -F _sepconv sepconv
